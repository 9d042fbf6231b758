package iamapi_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	iamsdk "github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	stssdk "github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/google/go-cmp/cmp"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/store"
)

const account = apitest.AccountID

// snapshot lists every IAM object in the store as "id@revision" by collection, so a test can
// check that a failed call changed nothing.
func snapshot(t *testing.T, env *apitest.Env) map[string][]string {
	t.Helper()
	ctx := apitest.Context(t)
	st := env.Store
	lists := map[string]func() ([]string, error){
		"users":    func() ([]string, error) { return ids(st.IAMUsers.List(ctx, "")) },
		"groups":   func() ([]string, error) { return ids(st.IAMGroups.List(ctx, "")) },
		"roles":    func() ([]string, error) { return ids(st.IAMRoles.List(ctx, "")) },
		"policies": func() ([]string, error) { return ids(st.IAMPolicies.List(ctx, "")) },
		"keys":     func() ([]string, error) { return ids(st.IAMAccessKeys.List(ctx, "")) },
	}
	out := map[string][]string{}
	for name, list := range lists {
		got, err := list()
		if err != nil {
			t.Fatal(err)
		}
		out[name] = got
	}
	return out
}

func ids[T any](items []store.Item[T], _ int64, err error) ([]string, error) {
	var out []string
	for _, it := range items {
		out = append(out, fmt.Sprintf("%s@%d", it.ID, it.Revision))
	}
	return out, err
}

// errorCase is a call that must fail with an IAM error and change nothing.
type errorCase struct {
	name    string
	call    func() error
	code    string
	message string
	status  int
}

// wantErrors runs each case, checks its error as a client sees it, and checks that no case
// changed the store.
func wantErrors(t *testing.T, env *apitest.Env, cases []errorCase) {
	t.Helper()
	before := snapshot(t, env)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			apitest.WantError(t, tc.call(), tc.code, tc.message, tc.status)
		})
	}
	if diff := cmp.Diff(before, snapshot(t, env)); diff != "" {
		t.Fatalf("a failed call changed the store (-before +after):\n%s", diff)
	}
}

func createUser(t *testing.T, env *apitest.Env, name string) types.User {
	t.Helper()
	out, err := env.IAM.CreateUser(apitest.Context(t), &iamsdk.CreateUserInput{UserName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	return *out.User
}

func createKey(t *testing.T, env *apitest.Env, user string) types.AccessKey {
	t.Helper()
	out, err := env.IAM.CreateAccessKey(apitest.Context(t), &iamsdk.CreateAccessKeyInput{UserName: aws.String(user)})
	if err != nil {
		t.Fatal(err)
	}
	return *out.AccessKey
}

// stsFor returns an STS client of the server that signs with key, once the server knows the
// key: a new key works as soon as the store's watch delivers it to the server's directory.
func stsFor(t *testing.T, srv *apitest.Server, key types.AccessKey) *stssdk.Client {
	t.Helper()
	eventually(t, "key known", func() bool {
		_, ok := srv.Directory.Principal(aws.ToString(key.AccessKeyId))
		return ok
	})
	return stssdk.NewFromConfig(apitest.Config(srv.URL, aws.ToString(key.AccessKeyId), aws.ToString(key.SecretAccessKey)))
}

// eventually polls cond every 10 ms until it holds, for at most 5 s: the bound is generous on
// a loaded machine; the claim "within a second" is the watch's, not this test's.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 5s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

const (
	notFound = http.StatusNotFound
	conflict = http.StatusConflict
	badReq   = http.StatusBadRequest
	denied   = http.StatusForbidden
)
