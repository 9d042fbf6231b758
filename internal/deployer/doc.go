// Package deployer carries out CodeDeploy deployments of ECS services (blue/green with task
// sets): it installs the replacement task set behind the second target group of the pair,
// moves the production listener's traffic to it all at once or in canary or linear steps, makes
// it primary, and deletes the original task set, or rolls back.
//
// It plans, then acts, as the scheduler does: each reconcile observes the deployment and what
// it needs of the store (an Observation), PlanDeployment decides the next Step purely, and the
// controller applies the step's actions and writes the deployment. Every decision comes from
// the store and no action is planned that the store shows done, so a restart resumes a
// deployment where it was.
package deployer
