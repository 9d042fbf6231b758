package iamapi_test

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	iamsdk "github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	stssdk "github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/fargohq/fargo/internal/api/apitest"
)

// TestUserKeySigns: a key created with the SDK signs requests as its user, and STS names the
// user.
func TestUserKeySigns(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	u := createUser(t, env, "ci")
	key := createKey(t, env, "ci")
	if aws.ToString(key.UserName) != "ci" || key.Status != types.StatusTypeActive || len(aws.ToString(key.AccessKeyId)) != 20 || len(aws.ToString(key.SecretAccessKey)) != 40 {
		t.Fatalf("key %+v", key)
	}
	out, err := stsFor(t, env.Server, key).GetCallerIdentity(apitest.Context(t), &stssdk.GetCallerIdentityInput{})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.Arn) != "arn:aws:iam::"+account+":user/ci" || aws.ToString(out.UserId) != aws.ToString(u.UserId) || aws.ToString(out.Account) != account {
		t.Fatalf("caller %s %s %s", aws.ToString(out.Arn), aws.ToString(out.UserId), aws.ToString(out.Account))
	}
}

// callerError is the code of the error a client of key gets from STS, "" for success.
func callerError(t *testing.T, c *stssdk.Client) string {
	t.Helper()
	_, err := c.GetCallerIdentity(apitest.Context(t), &stssdk.GetCallerIdentityInput{})
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	if err != nil {
		t.Fatal(err)
	}
	return ""
}

// TestKeyRevocation: an Inactive key stops working, an Active one works again, a deleted one
// stops for good; rotation needs no restart: a second key works while the first is retired.
func TestKeyRevocation(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	createUser(t, env, "ci")
	first := createKey(t, env, "ci")
	c1 := stsFor(t, env.Server, first)
	if code := callerError(t, c1); code != "" {
		t.Fatalf("active key: %s", code)
	}
	second := createKey(t, env, "ci")
	c2 := stsFor(t, env.Server, second)
	setStatus := func(k types.AccessKey, s types.StatusType) {
		t.Helper()
		if _, err := env.IAM.UpdateAccessKey(ctx, &iamsdk.UpdateAccessKeyInput{UserName: aws.String("ci"), AccessKeyId: k.AccessKeyId, Status: s}); err != nil {
			t.Fatal(err)
		}
	}
	setStatus(first, types.StatusTypeInactive)
	eventually(t, "inactive key refused", func() bool { return callerError(t, c1) == "InvalidClientTokenId" })
	if code := callerError(t, c2); code != "" {
		t.Fatalf("second key while the first is inactive: %s", code)
	}
	setStatus(first, types.StatusTypeActive)
	eventually(t, "reactivated key accepted", func() bool { return callerError(t, c1) == "" })
	if _, err := env.IAM.DeleteAccessKey(ctx, &iamsdk.DeleteAccessKeyInput{UserName: aws.String("ci"), AccessKeyId: first.AccessKeyId}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "deleted key refused", func() bool { return callerError(t, c1) == "InvalidClientTokenId" })
	if code := callerError(t, c2); code != "" {
		t.Fatalf("second key after the first was deleted: %s", code)
	}
}
