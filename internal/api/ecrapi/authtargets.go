package ecrapi

import "github.com/fargohq/fargo/internal/api/awsproto"

// targets names the repositories of an ECR request, for its authorization.
func targets(op string, in awsproto.Input) awsproto.Target {
	var t awsproto.Target
	switch op {
	case "DescribeRepositories":
		for _, r := range in.Strings("repositoryNames") {
			t.Add(r)
		}
	case "TagResource", "UntagResource", "ListTagsForResource":
		t.Add(in.String("resourceArn"))
	case "GetAuthorizationToken":
	default:
		t.Add(in.String("repositoryName"))
	}
	return t
}
