// Package deployer carries out CodeDeploy deployments of ECS services (blue/green with task
// sets): it installs the replacement task set behind the second target group of the pair,
// moves the production listener's traffic to it all at once or in canary or linear steps, makes
// it primary, and deletes the original task set, or rolls back. It is level-triggered: each
// reconcile looks at the deployment, the service and the listener and takes the next step, and
// every step can be taken again, so a restart resumes a deployment where it was.
package deployer
