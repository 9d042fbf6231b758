package iamapi_test

import (
	"bytes"
	"encoding/base64"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	iamsdk "github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/api/stsapi"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/store/kv/memkv"
)

// TestNoPlainSecretInStore reads every value the store holds, byte for byte, and finds the
// secret of a new access key in none of them, in plain text or base64: it is sealed with the
// data directory's secrets key.
func TestNoPlainSecretInStore(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	createUser(t, env, "ci")
	key := createKey(t, env, "ci")
	secret := aws.ToString(key.SecretAccessKey)
	stsFor(t, env.Server, key) // the server opens the sealed secret to verify signatures
	kvs, _, err := env.KV.List(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, kvp := range kvs {
		for _, form := range []string{secret, base64.StdEncoding.EncodeToString([]byte(secret))} {
			if bytes.Contains(kvp.Value, []byte(form)) {
				t.Errorf("%s holds the secret in plain text: %s", kvp.Key, kvp.Value)
			}
		}
		found = found || bytes.Contains([]byte(kvp.Key), []byte(aws.ToString(key.AccessKeyId)))
	}
	if !found {
		t.Fatal("the access key is not in the store at all: the test reads the wrong store")
	}
}

// TestRevocationOnEveryServer runs two front doors over one store and one data directory,
// as two servers sharing an etcd cluster: a key created on one works on the other, and once
// deactivated or deleted on one it stops working on the other, as soon as the store's watch
// delivers the change.
func TestRevocationOnEveryServer(t *testing.T) {
	t.Parallel()
	mem, err := memkv.New(memkv.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = mem.Close() })
	st, dir := store.New(mem), t.TempDir()
	sts := func(*store.Store) awsproto.Service { return stsapi.Service() }
	a, b := apitest.Serve(t, st, dir, sts), apitest.Serve(t, st, dir, sts)
	ctx := apitest.Context(t)
	admin := iamsdk.NewFromConfig(a.AWS)
	if _, err := admin.CreateUser(ctx, &iamsdk.CreateUserInput{UserName: aws.String("ci")}); err != nil {
		t.Fatal(err)
	}
	out, err := admin.CreateAccessKey(ctx, &iamsdk.CreateAccessKeyInput{UserName: aws.String("ci")})
	if err != nil {
		t.Fatal(err)
	}
	key := *out.AccessKey
	onB := stsFor(t, b, key)
	if code := callerError(t, onB); code != "" {
		t.Fatalf("key created on a, used on b: %s", code)
	}
	if _, err := admin.UpdateAccessKey(ctx, &iamsdk.UpdateAccessKeyInput{UserName: aws.String("ci"), AccessKeyId: key.AccessKeyId, Status: types.StatusTypeInactive}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "b refuses the key a deactivated", func() bool { return callerError(t, onB) == "InvalidClientTokenId" })
	if _, err := admin.UpdateAccessKey(ctx, &iamsdk.UpdateAccessKeyInput{UserName: aws.String("ci"), AccessKeyId: key.AccessKeyId, Status: types.StatusTypeActive}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "b accepts the key a reactivated", func() bool { return callerError(t, onB) == "" })
	if _, err := admin.DeleteAccessKey(ctx, &iamsdk.DeleteAccessKeyInput{UserName: aws.String("ci"), AccessKeyId: key.AccessKeyId}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "b refuses the key a deleted", func() bool { return callerError(t, onB) == "InvalidClientTokenId" })
	_, err = onB.GetCallerIdentity(ctx, nil)
	apitest.WantError(t, err, "InvalidClientTokenId", "The security token included in the request is invalid.", denied)
}
