// Package console is fargo's web console, served at / on the API address: sign-in with an
// access key, pages over the store, create and update actions that run the same code as the
// API operations, and live deployment pages fed by store watches over server-sent events.
//
// The console never builds or parses AWS wire shapes. It reads domain objects from the store
// and changes them through small interfaces (ECS, ELB, CodeDeploy, ECR) that the daemon fills
// with the API packages' domain-level entry points, so an action of the console and the API
// operation of the same name cannot drift apart. Every request passes one seam, Authorizer,
// with IAM action names.
//
// Its forms post multipart/form-data; urlencoded posts work too, since the front door takes a
// form post for an AWS Query call only when it is signed or names an Action.
package console
