// Package clusterquery is ECS's cluster query language: the expressions of memberOf placement
// constraints and of ListContainerInstances' filter, such as
// "attribute:ecs.availability-zone in [us-east-1a, us-east-1b] and not(task:group == database)".
//
// Parse checks an expression once (its subjects, operators and arguments) and returns a Query
// that matches container instances, or anything else that answers a subject's values, without
// parsing again. It is pure: no I/O, no clock.
package clusterquery
