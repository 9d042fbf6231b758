// Package tagset holds the tag rules that ECS and Elastic Load Balancing share: the Tag value,
// its validation, and how TagResource and UntagResource change a resource's tags. Each service
// keeps its own messages and its own limit on the number of tags.
package tagset
