package iamapi_test

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	iamsdk "github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/fargohq/fargo/internal/api/apitest"
)

func TestUserLifecycle(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	out, err := env.IAM.CreateUser(ctx, &iamsdk.CreateUserInput{
		UserName: aws.String("ci"), Path: aws.String("/deploy/"), Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("web")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	u := out.User
	if aws.ToString(u.Arn) != "arn:aws:iam::"+account+":user/deploy/ci" || !strings.HasPrefix(aws.ToString(u.UserId), "AIDA") || len(aws.ToString(u.UserId)) != 21 ||
		aws.ToString(u.Path) != "/deploy/" || time.Since(aws.ToTime(u.CreateDate)) > time.Hour {
		t.Fatalf("created %+v", u)
	}
	got, err := env.IAM.GetUser(ctx, &iamsdk.GetUserInput{UserName: aws.String("CI")}) // names ignore case
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(got.User.UserId) != aws.ToString(u.UserId) || len(got.User.Tags) != 1 || aws.ToString(got.User.Tags[0].Value) != "web" {
		t.Fatalf("got %+v", got.User)
	}
	if _, err := env.IAM.UpdateUser(ctx, &iamsdk.UpdateUserInput{UserName: aws.String("ci"), NewUserName: aws.String("deployer"), NewPath: aws.String("/")}); err != nil {
		t.Fatal(err)
	}
	list, err := env.IAM.ListUsers(ctx, &iamsdk.ListUsersInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Users) != 1 || aws.ToString(list.Users[0].Arn) != "arn:aws:iam::"+account+":user/deployer" || list.IsTruncated {
		t.Fatalf("listed %+v", list.Users)
	}
	if _, err := env.IAM.DeleteUser(ctx, &iamsdk.DeleteUserInput{UserName: aws.String("deployer")}); err != nil {
		t.Fatal(err)
	}
	_, err = env.IAM.GetUser(ctx, &iamsdk.GetUserInput{UserName: aws.String("deployer")})
	apitest.WantError(t, err, "NoSuchEntity", "The user with name deployer cannot be found.", notFound)
}

func TestGetUserOfCaller(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	root, err := env.IAM.GetUser(ctx, &iamsdk.GetUserInput{})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(root.User.Arn) != "arn:aws:iam::"+account+":root" || aws.ToString(root.User.UserId) != account {
		t.Fatalf("root %+v", root.User)
	}
	createUser(t, env, "dev")
	key := createKey(t, env, "dev")
	stsFor(t, env.Server, key)
	dev := iamsdk.NewFromConfig(apitest.Config(env.URL, aws.ToString(key.AccessKeyId), aws.ToString(key.SecretAccessKey)))
	me, err := dev.GetUser(ctx, &iamsdk.GetUserInput{})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(me.User.UserName) != "dev" {
		t.Fatalf("caller's user %+v", me.User)
	}
	keys, err := dev.ListAccessKeys(ctx, &iamsdk.ListAccessKeysInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(keys.AccessKeyMetadata) != 1 || aws.ToString(keys.AccessKeyMetadata[0].AccessKeyId) != aws.ToString(key.AccessKeyId) {
		t.Fatalf("caller's keys %+v", keys.AccessKeyMetadata)
	}
}

func TestListUsersPages(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	for _, n := range []string{"a", "b", "c", "d", "e"} {
		createUser(t, env, n)
	}
	var names []string
	p := iamsdk.NewListUsersPaginator(env.IAM, &iamsdk.ListUsersInput{MaxItems: aws.Int32(2)})
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, u := range out.Users {
			names = append(names, aws.ToString(u.UserName))
		}
	}
	if strings.Join(names, ",") != "a,b,c,d,e" || pages != 3 {
		t.Fatalf("%d pages: %v", pages, names)
	}
}

func TestUserTags(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	createUser(t, env, "ci")
	if _, err := env.IAM.TagUser(ctx, &iamsdk.TagUserInput{UserName: aws.String("ci"), Tags: []types.Tag{
		{Key: aws.String("team"), Value: aws.String("web")}, {Key: aws.String("env"), Value: aws.String("prod")},
	}}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.IAM.UntagUser(ctx, &iamsdk.UntagUserInput{UserName: aws.String("ci"), TagKeys: []string{"team"}}); err != nil {
		t.Fatal(err)
	}
	out, err := env.IAM.ListUserTags(ctx, &iamsdk.ListUserTagsInput{UserName: aws.String("ci")})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Tags) != 1 || aws.ToString(out.Tags[0].Key) != "env" {
		t.Fatalf("tags %+v", out.Tags)
	}
}

func TestUserErrors(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	createUser(t, env, "ci")
	createUser(t, env, "other")
	key := createKey(t, env, "ci")
	createKey(t, env, "ci")
	tooMany := make([]types.Tag, 51)
	for i := range tooMany {
		tooMany[i] = types.Tag{Key: aws.String(strings.Repeat("k", i+1)), Value: aws.String("v")}
	}
	wantErrors(t, env, []errorCase{
		{"create existing", func() error {
			_, err := env.IAM.CreateUser(ctx, &iamsdk.CreateUserInput{UserName: aws.String("CI")})
			return err
		}, "EntityAlreadyExists", "User with name CI already exists.", conflict},
		{"bad name", func() error {
			_, err := env.IAM.CreateUser(ctx, &iamsdk.CreateUserInput{UserName: aws.String("a b")})
			return err
		}, "ValidationError", `1 validation error detected: Value 'a b' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`, badReq},
		{"bad path", func() error {
			_, err := env.IAM.CreateUser(ctx, &iamsdk.CreateUserInput{UserName: aws.String("x"), Path: aws.String("nope")})
			return err
		}, "ValidationError", `1 validation error detected: Value 'nope' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: (\u002F)|(\u002F[\u0021-\u007E]+\u002F)`, badReq},
		{"too many tags", func() error {
			_, err := env.IAM.CreateUser(ctx, &iamsdk.CreateUserInput{UserName: aws.String("x"), Tags: tooMany})
			return err
		}, "LimitExceeded", "The number of tags has reached the maximum limit.", conflict},
		{"delete with keys", func() error {
			_, err := env.IAM.DeleteUser(ctx, &iamsdk.DeleteUserInput{UserName: aws.String("ci")})
			return err
		}, "DeleteConflict", "Cannot delete entity, must delete access keys first.", conflict},
		{"delete missing", func() error {
			_, err := env.IAM.DeleteUser(ctx, &iamsdk.DeleteUserInput{UserName: aws.String("ghost")})
			return err
		}, "NoSuchEntity", "The user with name ghost cannot be found.", notFound},
		{"rename onto another", func() error {
			_, err := env.IAM.UpdateUser(ctx, &iamsdk.UpdateUserInput{UserName: aws.String("ci"), NewUserName: aws.String("Other")})
			return err
		}, "EntityAlreadyExists", "User with name Other already exists.", conflict},
		{"third key", func() error {
			_, err := env.IAM.CreateAccessKey(ctx, &iamsdk.CreateAccessKeyInput{UserName: aws.String("ci")})
			return err
		}, "LimitExceeded", "Cannot exceed quota for AccessKeysPerUser: 2", conflict},
		{"key of root without user name", func() error {
			_, err := env.IAM.CreateAccessKey(ctx, &iamsdk.CreateAccessKeyInput{})
			return err
		}, "ValidationError", "Must specify userName when calling with non-User credentials", badReq},
		{"key of another user", func() error {
			_, err := env.IAM.UpdateAccessKey(ctx, &iamsdk.UpdateAccessKeyInput{UserName: aws.String("other"), AccessKeyId: key.AccessKeyId, Status: types.StatusTypeInactive})
			return err
		}, "NoSuchEntity", "The Access Key with id " + aws.ToString(key.AccessKeyId) + " cannot be found.", notFound},
		{"bad status", func() error {
			_, err := env.IAM.UpdateAccessKey(ctx, &iamsdk.UpdateAccessKeyInput{UserName: aws.String("ci"), AccessKeyId: key.AccessKeyId, Status: "Paused"})
			return err
		}, "ValidationError", "1 validation error detected: Value 'Paused' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]", badReq},
		{"delete missing key", func() error {
			_, err := env.IAM.DeleteAccessKey(ctx, &iamsdk.DeleteAccessKeyInput{UserName: aws.String("ci"), AccessKeyId: aws.String("AKIAAAAAAAAAAAAAAAAA")})
			return err
		}, "NoSuchEntity", "The Access Key with id AKIAAAAAAAAAAAAAAAAA cannot be found.", notFound},
		{"max items 0", func() error {
			_, err := env.IAM.ListUsers(ctx, &iamsdk.ListUsersInput{MaxItems: aws.Int32(0)})
			return err
		}, "ValidationError", "1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1", badReq},
		{"bad marker", func() error {
			_, err := env.IAM.ListUsers(ctx, &iamsdk.ListUsersInput{Marker: aws.String("!!")})
			return err
		}, "ValidationError", "Invalid Marker.", badReq},
		{"tag missing user", func() error {
			_, err := env.IAM.TagUser(ctx, &iamsdk.TagUserInput{UserName: aws.String("ghost"), Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("v")}}})
			return err
		}, "NoSuchEntity", "The user with name ghost cannot be found.", notFound},
		{"reserved tag", func() error {
			_, err := env.IAM.TagUser(ctx, &iamsdk.TagUserInput{UserName: aws.String("ci"), Tags: []types.Tag{{Key: aws.String("aws:x"), Value: aws.String("v")}}})
			return err
		}, "ValidationError", "Tag keys starting with 'aws:' are reserved for internal use.", badReq},
	})
}

func TestAccessKeyLastUsed(t *testing.T) {
	t.Parallel()
	env := apitest.New(t)
	ctx := apitest.Context(t)
	createUser(t, env, "ci")
	key := createKey(t, env, "ci")
	before, err := env.IAM.GetAccessKeyLastUsed(ctx, &iamsdk.GetAccessKeyLastUsedInput{AccessKeyId: key.AccessKeyId})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(before.UserName) != "ci" || before.AccessKeyLastUsed.LastUsedDate != nil || aws.ToString(before.AccessKeyLastUsed.ServiceName) != "N/A" {
		t.Fatalf("unused key: %+v", before.AccessKeyLastUsed)
	}
	if _, err := stsFor(t, env.Server, key).GetCallerIdentity(ctx, nil); err != nil {
		t.Fatal(err)
	}
	eventually(t, "last use recorded", func() bool {
		out, err := env.IAM.GetAccessKeyLastUsed(ctx, &iamsdk.GetAccessKeyLastUsedInput{AccessKeyId: key.AccessKeyId})
		if err != nil {
			t.Fatal(err)
		}
		u := out.AccessKeyLastUsed
		return u.LastUsedDate != nil && aws.ToString(u.ServiceName) == "sts" && aws.ToString(u.Region) == apitest.Region
	})
	_, err = env.IAM.GetAccessKeyLastUsed(ctx, &iamsdk.GetAccessKeyLastUsedInput{AccessKeyId: aws.String("AKIAAAAAAAAAAAAAAAAA")})
	apitest.WantError(t, err, "NoSuchEntity", "The Access Key with id AKIAAAAAAAAAAAAAAAAA cannot be found.", notFound)
}
