#!/usr/bin/env python3
"""Writes the members files of the wire tests: for every structure the operations of a file
reach, its members as the botocore model lists them, each with the kind of its value ("string",
"boxed integer", "list of structure PortMapping", ...). The wire tests check that the JSON names
of the wire structs are these members and that each Go field has the type its kind calls for
(wiretest.Check): a pointer for a boxed scalar, a value for a plain one.

Boxed is what aws-sdk-go-v2 holds in a pointer. smithy-go makes a structure member of a scalar
type a pointer unless the smithy model gives the member its type's zero value as default
(GoPointableIndex, NullableIndex mode CLIENT_ZERO_VALUE_V1_NO_INPUT); list members and map
values are never pointers. botocore's models leave defaults out: they mark the members without
one "box", on the member or on its shape, where they mark any (ECS), and some models mark none
(CodeDeploy); NULLABLE lists the shapes of those that the smithy model leaves without default,
ALL_NULLABLE the services whose smithy model gives almost no scalar a default (CloudWatch Logs,
Application Auto Scaling), with the shapes of the few it does.
Each file is checked against the struct fields of the aws-sdk-go-v2 module that go.mod requires,
and not written when any scalar member's pointer differs.

Run from anywhere: python3 internal/api/testdata/gen_members.py
"""
import glob
import json
import os
import re
import subprocess
import sys

import botocore
import botocore.loaders

API = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The files, the service each describes and the operations whose shapes it lists.
FILES = {
    "ecsapi/testdata/ecs-members.json": ("ecs", [
        "RegisterTaskDefinition", "DescribeTaskDefinition", "ListTaskDefinitions",
        "ListTaskDefinitionFamilies", "DeregisterTaskDefinition", "DeleteTaskDefinitions",
    ]),
    "ecsapi/testdata/services-members.json": ("ecs", [
        "CreateService", "UpdateService", "DescribeServices", "ListServices", "DeleteService",
        "RunTask", "StartTask", "StopTask", "DescribeTasks", "ListTasks",
        "ListContainerInstances", "DescribeContainerInstances",
        "CreateTaskSet", "DescribeTaskSets", "UpdateTaskSet", "UpdateServicePrimaryTaskSet", "DeleteTaskSet",
    ]),
    "codedeployapi/testdata/codedeploy-members.json": ("codedeploy", [
        "CreateApplication", "GetApplication", "ListApplications", "BatchGetApplications", "DeleteApplication",
        "CreateDeploymentConfig", "GetDeploymentConfig", "ListDeploymentConfigs", "DeleteDeploymentConfig",
        "CreateDeploymentGroup", "GetDeploymentGroup", "UpdateDeploymentGroup", "ListDeploymentGroups",
        "BatchGetDeploymentGroups", "DeleteDeploymentGroup",
        "CreateDeployment", "GetDeployment", "BatchGetDeployments", "ListDeployments", "StopDeployment",
        "ContinueDeployment", "ListDeploymentTargets", "BatchGetDeploymentTargets", "GetDeploymentTarget",
        "RegisterApplicationRevision", "GetApplicationRevision", "ListApplicationRevisions",
    ]),
    "logsapi/testdata/logs-members.json": ("logs", [
        "DescribeLogGroups", "DescribeLogStreams", "GetLogEvents", "FilterLogEvents",
        "CreateLogGroup", "DeleteLogGroup", "CreateLogStream", "DeleteLogStream",
        "PutRetentionPolicy", "DeleteRetentionPolicy", "PutLogEvents",
    ]),
    "ecrapi/testdata/ecr-members.json": ("ecr", [
        "CreateRepository", "DescribeRepositories", "DeleteRepository", "GetAuthorizationToken",
        "DescribeImages", "ListImages", "BatchGetImage", "BatchDeleteImage", "PutImage",
        "PutImageTagMutability", "BatchCheckLayerAvailability",
        "PutLifecyclePolicy", "GetLifecyclePolicy", "DeleteLifecyclePolicy",
        "TagResource", "UntagResource", "ListTagsForResource",
    ]),
    "autoscalingapi/testdata/autoscaling-members.json": ("application-autoscaling", [
        "RegisterScalableTarget", "DescribeScalableTargets", "DeregisterScalableTarget",
        "PutScalingPolicy", "DescribeScalingPolicies", "DeleteScalingPolicy", "DescribeScalingActivities",
    ]),
}

# Shapes whose members the smithy model leaves without default, in models that mark no box.
NULLABLE = {
    "codedeploy": {"NullableBoolean", "WaitTimeInSeconds"},
    "ecr": {"MaxResults", "ImageSizeInBytes", "LayerSizeInBytes"},
}

# Services whose smithy model gives no scalar member a default, but for the shapes listed:
# every other scalar member is boxed.
ALL_NULLABLE = {"logs": {"Unmask"}, "application-autoscaling": set()}

# The scalar types of the botocore models, which Go holds as values unless boxed.
SCALARS = {"boolean", "byte", "short", "integer", "long", "float", "double"}

# The aws-sdk-go-v2 module of each service.
SDK = {
    "ecs": "github.com/aws/aws-sdk-go-v2/service/ecs",
    "ecr": "github.com/aws/aws-sdk-go-v2/service/ecr",
    "codedeploy": "github.com/aws/aws-sdk-go-v2/service/codedeploy",
    "logs": "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs",
    "application-autoscaling": "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling",
}


def boxed(service, ref, shapes):
    """Whether a structure member, as its reference ref names its shape, is boxed."""
    shape = shapes[ref["shape"]]
    return bool(ref.get("box") or shape.get("box")) or ref["shape"] in NULLABLE.get(service, ()) or \
        service in ALL_NULLABLE and ref["shape"] not in ALL_NULLABLE[service]


def kind(service, ref, shapes, member=True):
    """The kind of the value of a structure member (member) or a list member or map value."""
    shape = shapes[ref["shape"]]
    t = shape["type"]
    if t in SCALARS:
        return ("boxed " if member and boxed(service, ref, shapes) else "") + t
    if t == "list":
        return "list of " + kind(service, shape["member"], shapes, member=False)
    if t == "map":
        return "map of " + kind(service, shape["value"], shapes, member=False)
    if t == "structure":
        return "structure " + ref["shape"]
    return t


def walk(service, name, shapes, out):
    shape = shapes[name]
    if shape["type"] == "structure":
        if name in out:
            return
        out[name] = {m: kind(service, ref, shapes) for m, ref in shape["members"].items()}
        for ref in shape["members"].values():
            walk(service, ref["shape"], shapes, out)
    elif shape["type"] == "list":
        walk(service, shape["member"]["shape"], shapes, out)
    elif shape["type"] == "map":
        walk(service, shape["value"]["shape"], shapes, out)


def sdk_pointers(module):
    """The scalar fields of the module's structs, by struct and lower-case field name: whether
    each is a pointer. Returns the module's version too."""
    root = os.path.dirname(os.path.dirname(API))
    out = subprocess.run(["go", "list", "-m", "-f", "{{.Dir}} {{.Version}}", module],
                         cwd=root, check=True, capture_output=True, text=True).stdout.split()
    directory, version = out[0], out[1]
    fields = {}
    for path in [os.path.join(directory, "types", "types.go")] + sorted(glob.glob(os.path.join(directory, "api_op_*.go"))):
        struct = None
        with open(path) as f:
            for line in f:
                if m := re.match(r"^type (\w+) struct \{", line):
                    struct = fields.setdefault(m.group(1), {})
                elif line.startswith("}"):
                    struct = None
                elif struct is not None and (m := re.match(r"^\t(\w+) (\*?)(?:bool|u?int\d*|float\d+)$", line.rstrip())):
                    struct[m.group(1).lower()] = m.group(2) == "*"
    return fields, version


def check(service, model, operations, out):
    """The scalar members whose boxing differs from the pointers of aws-sdk-go-v2."""
    fields, version = sdk_pointers(SDK[service])
    go_names = {}
    for op in operations:
        o = model["operations"][op]
        for part, suffix in (("input", "Input"), ("output", "Output")):
            if part in o:
                go_names[o[part]["shape"]] = op + suffix
    wrong = []
    for name, members in out.items():
        struct = fields.get(go_names.get(name, name))
        for member, k in members.items():
            if k.removeprefix("boxed ") not in SCALARS:
                continue
            if struct is None or member.lower() not in struct:
                wrong.append(f"{name}.{member}: no such field in {SDK[service]}")
            elif struct[member.lower()] != k.startswith("boxed "):
                wrong.append(f"{name}.{member} is {k}, a {'pointer' if struct[member.lower()] else 'value'} in {SDK[service]}")
    return wrong, f"{SDK[service]}@{version}"


def main():
    loader = botocore.loaders.Loader()
    failed = False
    for path, (service, operations) in FILES.items():
        model = loader.load_service_model(service, "service-2")
        shapes = {}
        for op in operations:
            for part in ("input", "output"):
                if part in model["operations"][op]:
                    walk(service, model["operations"][op][part]["shape"], model["shapes"], shapes)
        wrong, sdk = check(service, model, operations, shapes)
        if wrong:
            failed = True
            print(f"{path}: not written, boxing differs from {sdk}:", *wrong, sep="\n  ", file=sys.stderr)
            continue
        doc = {"botocore": botocore.__version__, "checked against": sdk, "shapes": dict(sorted(shapes.items()))}
        with open(os.path.join(API, path), "w") as f:
            f.write(json.dumps(doc, indent=2) + "\n")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
