package docker

import (
	"testing"

	"github.com/distribution/reference"
)

func TestPullWanted(t *testing.T) {
	t.Parallel()
	tests := []struct {
		policy PullPolicy
		image  string
		want   bool
	}{
		{PullDefault, "127.0.0.1:4566/demo:latest", true},
		{PullDefault, "000000000000.dkr.ecr.us-east-1.amazonaws.com/demo:v1", true},
		{PullDefault, "localhost/demo", true},
		{PullDefault, "nginx", false},
		{PullDefault, "myapp:dev", false},
		{PullDefault, "library/nginx:1.27", false},
		{PullAlways, "nginx", true},
		{PullPreferCached, "127.0.0.1:4566/demo:latest", false},
	}
	for _, tt := range tests {
		t.Run(string(tt.policy)+" "+tt.image, func(t *testing.T) {
			t.Parallel()
			named, err := reference.ParseNormalizedNamed(tt.image)
			if err != nil {
				t.Fatal(err)
			}
			if got := pullWanted(tt.policy, named); got != tt.want {
				t.Fatalf("pullWanted = %v, want %v", got, tt.want)
			}
		})
	}
}
