// Replays, call for call, what aws-actions/amazon-ecs-deploy-task-definition (v2) does
// (../shared/reference/aws-api.md §2.2): the same JavaScript SDK v3 clients, request bodies and
// waiters, so that fargo is tested against the client the GitHub Action really uses. It is
// written from that description, not copied from the action.
//
// Inputs, as environment variables: TASK_DEFINITION (file), CLUSTER, SERVICE, APPSPEC (file,
// for CODE_DEPLOY services), WAIT_MINUTES. AWS_ENDPOINT_URL and the usual AWS variables say where
// and as whom. It prints the outputs as name=value lines and exits non-zero when the action
// would fail the step.
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import {
  ECSClient, RegisterTaskDefinitionCommand, DescribeServicesCommand, UpdateServiceCommand, waitUntilServicesStable,
} from "@aws-sdk/client-ecs";
import {
  CodeDeployClient, GetDeploymentGroupCommand, CreateDeploymentCommand, waitUntilDeploymentSuccessful,
} from "@aws-sdk/client-codedeploy";
import YAML from "yaml";

const env = (name, fallback) => process.env[name] ?? fallback;
const clientConfig = {
  endpoint: env("AWS_ENDPOINT_URL"), maxAttempts: 3, retryMode: "standard",
  customUserAgent: "amazon-ecs-deploy-task-definition-for-github-actions",
};
const ecs = new ECSClient(clientConfig);
const codedeploy = new CodeDeployClient(clientConfig);

// The members that describe-task-definition returns but register-task-definition refuses.
const readOnly = ["compatibilities", "taskDefinitionArn", "requiresAttributes", "revision", "status",
  "registeredAt", "deregisteredAt", "registeredBy"];

// removeEmpty drops null, "", [] and {} values, recursively, as the action does.
function removeEmpty(v) {
  if (Array.isArray(v)) {
    return v.map(removeEmpty).filter((x) => !isEmpty(x));
  }
  if (v && typeof v === "object") {
    const out = {};
    for (const [k, x] of Object.entries(v)) {
      const y = removeEmpty(x);
      if (!isEmpty(y)) out[k] = y;
    }
    return out;
  }
  return v;
}

function isEmpty(v) {
  return v === null || v === undefined || v === "" ||
    (Array.isArray(v) && v.length === 0) || (typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 0);
}

async function registerTaskDefinition(path) {
  const def = removeEmpty(YAML.parse(readFileSync(path, "utf8")));
  for (const k of readOnly) delete def[k];
  const out = await ecs.send(new RegisterTaskDefinitionCommand(def));
  return out.taskDefinition.taskDefinitionArn;
}

// findKey returns the value of key in obj, matched case-insensitively, as the action does.
function findKey(obj, key) {
  const k = Object.keys(obj ?? {}).find((x) => x.toLowerCase() === key.toLowerCase());
  return k === undefined ? undefined : [k, obj[k]];
}

async function deployWithCodeDeploy(cluster, service, taskDefArn, waitMinutes) {
  const applicationName = `AppECS-${cluster}-${service}`;
  const deploymentGroupName = `DgpECS-${cluster}-${service}`;
  const group = await codedeploy.send(new GetDeploymentGroupCommand({ applicationName, deploymentGroupName }));
  const bg = group.deploymentGroupInfo.blueGreenDeploymentConfiguration;
  // The action adds these two numbers: a missing object throws, a missing number gives NaN.
  let total = bg.deploymentReadyOption.waitTimeInMinutes + bg.terminateBlueInstancesOnDeploymentSuccess.terminationWaitTimeInMinutes + waitMinutes;
  if (Number.isNaN(total)) throw new Error("GetDeploymentGroup lacks the wait times the action reads");
  total = Math.min(total, 360);

  const appSpec = YAML.parse(readFileSync(env("APPSPEC"), "utf8"));
  const [, resources] = findKey(appSpec, "Resources");
  for (const resource of resources) {
    for (const name of Object.keys(resource)) {
      const [, props] = findKey(resource[name], "Properties");
      const [tdKey] = findKey(props, "TaskDefinition");
      props[tdKey] = taskDefArn;
    }
  }
  const content = JSON.stringify(appSpec);
  const sha256 = createHash("sha256").update(content, "utf8").digest("hex");
  const created = await codedeploy.send(new CreateDeploymentCommand({
    applicationName, deploymentGroupName,
    revision: { revisionType: "AppSpecContent", appSpecContent: { content, sha256 } },
  }));
  const deploymentId = created.deploymentId;
  console.log(`codedeploy-deployment-id=${deploymentId}`);
  const result = await waitUntilDeploymentSuccessful(
    { client: codedeploy, minDelay: 15, maxWaitTime: total * 60 }, { deploymentId });
  if (result.state !== "SUCCESS") throw new Error(`deployment ${deploymentId}: ${result.state} ${JSON.stringify(result.reason ?? "")}`);
}

async function deployWithECS(cluster, service, taskDefArn, current, waitMinutes) {
  const before = current.deployments.find((d) => d.status === "PRIMARY")?.id;
  const updated = await ecs.send(new UpdateServiceCommand({
    cluster, service, taskDefinition: taskDefArn, forceNewDeployment: false, volumeConfigurations: [],
  }));
  const id = updated.service.deployments.find((d) => d.status === "PRIMARY")?.id;
  if (!id) throw new Error("UpdateService did not answer with the new PRIMARY deployment");
  const result = await waitUntilServicesStable(
    { client: ecs, minDelay: 15, maxWaitTime: waitMinutes * 60 }, { services: [service], cluster });
  if (result.state !== "SUCCESS") throw new Error(`service ${service} did not become stable: ${result.state}`);
  if (id === before) return;
  const after = await ecs.send(new DescribeServicesCommand({ services: [service], cluster }));
  const d = after.services[0].deployments.find((x) => x.id === id);
  if (!d) throw new Error(`deployment ${id} is gone: it was probably rolled back by the circuit breaker`);
  if (d.rolloutState === "FAILED") throw new Error(`deployment ${id} failed: ${d.rolloutStateReason}`);
}

async function main() {
  const cluster = env("CLUSTER", "default");
  const service = env("SERVICE");
  const waitMinutes = Number(env("WAIT_MINUTES", "30"));
  const taskDefArn = await registerTaskDefinition(env("TASK_DEFINITION"));
  console.log(`task-definition-arn=${taskDefArn}`);
  const described = await ecs.send(new DescribeServicesCommand({ services: [service], cluster }));
  if (described.failures?.length) throw new Error(`${described.failures[0].arn} is ${described.failures[0].reason}`);
  const svc = described.services[0];
  if (svc.status !== "ACTIVE") throw new Error(`service is ${svc.status}`);
  const controller = svc.deploymentController?.type ?? "ECS";
  if (controller === "CODE_DEPLOY") {
    await deployWithCodeDeploy(cluster, service, taskDefArn, waitMinutes);
  } else if (controller === "ECS") {
    await deployWithECS(cluster, service, taskDefArn, svc, waitMinutes);
  } else {
    throw new Error(`Unsupported deployment controller: ${controller}`);
  }
  console.log("deployed");
}

main().catch((err) => {
  console.error(`deploy failed: ${err.name ?? ""} ${err.message}`);
  process.exit(1);
});
