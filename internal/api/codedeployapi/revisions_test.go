package codedeployapi_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cdsdk "github.com/aws/aws-sdk-go-v2/service/codedeploy"
	"github.com/aws/aws-sdk-go-v2/service/codedeploy/types"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/api/codedeployapi"
	"github.com/fargohq/fargo/internal/codedeploy"
)

// clock is a clock that tests move by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// specOf is the AppSpec of task definition revision rev of web.
func specOf(rev string) string { return strings.Replace(yamlAppSpec, "web:1", "web:"+rev, 1) }

func appSpecRevision(content string) *types.RevisionLocation {
	return &types.RevisionLocation{RevisionType: types.RevisionLocationTypeAppSpecContent, AppSpecContent: &types.AppSpecContent{Content: aws.String(content)}}
}

func (e *env) register(t *testing.T, app, content, description string) {
	t.Helper()
	in := &cdsdk.RegisterApplicationRevisionInput{ApplicationName: aws.String(app), Revision: appSpecRevision(content)}
	if description != "" {
		in.Description = aws.String(description)
	}
	if _, err := e.cd.RegisterApplicationRevision(e.ctx, in); err != nil {
		t.Fatal(err)
	}
}

func (e *env) getRevision(t *testing.T, app string, rev *types.RevisionLocation) *cdsdk.GetApplicationRevisionOutput {
	t.Helper()
	out, err := e.cd.GetApplicationRevision(e.ctx, &cdsdk.GetApplicationRevisionInput{ApplicationName: aws.String(app), Revision: rev})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestRegisterAndGetApplicationRevision registers a revision, finds it by its content, by its
// sha256 alone and as a String revision of the same content, and registers it again.
func TestRegisterAndGetApplicationRevision(t *testing.T) {
	t.Parallel()
	c := &clock{now: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)}
	e := newEnvAt(t, c.Now)
	e.createApp(t, "app")
	e.register(t, "app", yamlAppSpec, "the first release")
	sum := sha(yamlAppSpec)
	for name, rev := range map[string]*types.RevisionLocation{
		"by content":    appSpecRevision(yamlAppSpec),
		"by sha256":     {RevisionType: types.RevisionLocationTypeAppSpecContent, AppSpecContent: &types.AppSpecContent{Sha256: aws.String(sum)}},
		"both, in caps": {RevisionType: types.RevisionLocationTypeAppSpecContent, AppSpecContent: &types.AppSpecContent{Content: aws.String(yamlAppSpec), Sha256: aws.String(strings.ToUpper(sum))}},
	} {
		out := e.getRevision(t, "app", rev)
		info := out.RevisionInfo
		if aws.ToString(out.ApplicationName) != "app" || out.Revision.RevisionType != types.RevisionLocationTypeAppSpecContent ||
			aws.ToString(out.Revision.AppSpecContent.Content) != yamlAppSpec || aws.ToString(out.Revision.AppSpecContent.Sha256) != sum ||
			aws.ToString(info.Description) != "the first release" || !aws.ToTime(info.RegisterTime).Equal(c.Now()) ||
			info.FirstUsedTime != nil || info.LastUsedTime != nil || info.DeploymentGroups == nil || len(info.DeploymentGroups) != 0 {
			t.Fatalf("%s: %+v %+v", name, out.Revision, info)
		}
	}
	// aws-sdk-go-v2 sends no String revisions (the type is deprecated); the CLI and boto3 do.
	content, _ := json.Marshal(yamlAppSpec)
	if err := e.raw(t, "GetApplicationRevision", `{"applicationName":"app","revision":{"revisionType":"String","string":{"content":`+string(content)+`}}}`); err != nil {
		t.Fatalf("the same content as a String revision: %v", err)
	}
	registered := c.Now()
	c.advance(time.Minute)
	e.register(t, "app", yamlAppSpec, "renamed")
	if info := e.getRevision(t, "app", appSpecRevision(yamlAppSpec)).RevisionInfo; aws.ToString(info.Description) != "renamed" || !aws.ToTime(info.RegisterTime).Equal(registered) {
		t.Fatalf("registered again: %+v", info)
	}
}

// TestDeploymentRegistersItsRevision checks that CreateDeployment registers its revision, as
// CodeDeploy does: the revision GetDeployment reports is the one GetApplicationRevision finds,
// with the times of the deployments that used it and the groups whose target it is.
func TestDeploymentRegistersItsRevision(t *testing.T) {
	t.Parallel()
	c := &clock{now: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)}
	e := newEnvAt(t, c.Now)
	e.createGroup(t, "app", "g1")
	e.createGroup(t, "app", "g2")
	first := e.deploy(t, "app", "g1", yamlAppSpec)
	firstAt := c.Now()
	rev := getDeployment(t, e, first).Revision
	if aws.ToString(rev.AppSpecContent.Sha256) != sha(yamlAppSpec) {
		t.Fatalf("GetDeployment's revision has no sha256: %+v", rev.AppSpecContent)
	}
	c.advance(time.Minute)
	e.deploy(t, "app", "g2", yamlAppSpec)
	info := e.getRevision(t, "app", rev).RevisionInfo
	if !aws.ToTime(info.RegisterTime).Equal(firstAt) || !aws.ToTime(info.FirstUsedTime).Equal(firstAt) || !aws.ToTime(info.LastUsedTime).Equal(c.Now()) ||
		!slices.Equal(info.DeploymentGroups, []string{"g1", "g2"}) {
		t.Fatalf("revision of two deployments: %+v", info)
	}
	// A group's target is its newest deployment's revision.
	e.setDeployment(t, first, func(d *codedeploy.Deployment) { d.Status = codedeploy.StatusSucceeded })
	e.deploy(t, "app", "g1", specOf("2"))
	if info := e.getRevision(t, "app", rev).RevisionInfo; !slices.Equal(info.DeploymentGroups, []string{"g2"}) {
		t.Fatalf("after g1 deployed another revision: %+v", info.DeploymentGroups)
	}
}

// TestListApplicationRevisions lists four revisions: a registered one never deployed, and
// three deployed ones, of which the newest in each group are targets.
func TestListApplicationRevisions(t *testing.T) {
	t.Parallel()
	c := &clock{now: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)}
	e := newEnvAt(t, c.Now, codedeployapi.WithPageSize(2))
	e.createGroup(t, "app", "g1")
	e.createGroup(t, "app", "g2")
	e.createApp(t, "other")
	e.register(t, "other", specOf("9"), "")
	e.register(t, "app", specOf("4"), "") // registered first, deployed never
	deployAt := func(group, rev string) string {
		c.advance(time.Minute)
		id := e.deploy(t, "app", group, specOf(rev))
		e.setDeployment(t, id, func(d *codedeploy.Deployment) { d.Status = codedeploy.StatusSucceeded })
		return id
	}
	deployAt("g1", "1")
	deployAt("g1", "2") // g1's target
	deployAt("g2", "3") // g2's target
	c.advance(time.Minute)
	e.register(t, "app", specOf("1"), "used again later") // registering anew leaves its times
	deployAt("g2", "3")
	list := func(in *cdsdk.ListApplicationRevisionsInput) []string {
		t.Helper()
		in.ApplicationName = aws.String("app")
		var revs []string
		for {
			out, err := e.cd.ListApplicationRevisions(e.ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			if len(out.Revisions) > 2 {
				t.Fatalf("a page of %d with page size 2", len(out.Revisions))
			}
			for _, r := range out.Revisions {
				content := aws.ToString(r.AppSpecContent.Content)
				revs = append(revs, content[strings.Index(content, "web:")+4:][:1])
			}
			if out.NextToken == nil {
				return revs
			}
			in.NextToken = out.NextToken
		}
	}
	tests := []struct {
		name string
		in   cdsdk.ListApplicationRevisionsInput
		want string
	}{
		{"registered, ascending by default", cdsdk.ListApplicationRevisionsInput{SortBy: types.ApplicationRevisionSortByRegisterTime}, "4123"},
		{"registered, descending", cdsdk.ListApplicationRevisionsInput{SortBy: types.ApplicationRevisionSortByRegisterTime, SortOrder: types.SortOrderDescending}, "3214"},
		{"first used", cdsdk.ListApplicationRevisionsInput{SortBy: types.ApplicationRevisionSortByFirstUsedTime, SortOrder: types.SortOrderAscending}, "4123"},
		{"last used, descending", cdsdk.ListApplicationRevisionsInput{SortBy: types.ApplicationRevisionSortByLastUsedTime, SortOrder: types.SortOrderDescending}, "3214"},
		{"targets of a group", cdsdk.ListApplicationRevisionsInput{SortBy: types.ApplicationRevisionSortByRegisterTime, Deployed: types.ListStateFilterActionInclude}, "23"},
		{"no group's target", cdsdk.ListApplicationRevisionsInput{SortBy: types.ApplicationRevisionSortByRegisterTime, Deployed: types.ListStateFilterActionExclude}, "41"},
		{"all", cdsdk.ListApplicationRevisionsInput{SortBy: types.ApplicationRevisionSortByRegisterTime, Deployed: types.ListStateFilterActionIgnore}, "4123"},
	}
	for _, tt := range tests {
		if got := strings.Join(list(&tt.in), ""); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
	if got := list(&cdsdk.ListApplicationRevisionsInput{}); len(got) != 4 {
		t.Errorf("unsorted: %v, want the four revisions of app", got)
	}
}

// TestRevisionErrors checks the errors of the three revision operations, and that none writes.
func TestRevisionErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.createApp(t, "app")
	e.register(t, "app", yamlAppSpec, "")
	s3 := &types.RevisionLocation{RevisionType: types.RevisionLocationTypeS3, S3Location: &types.S3Location{Bucket: aws.String("b"), Key: aws.String("k")}}
	github := &types.RevisionLocation{RevisionType: types.RevisionLocationTypeGitHub, GitHubLocation: &types.GitHubLocation{Repository: aws.String("o/r"), CommitId: aws.String("abc")}}
	register := func(app string, rev *types.RevisionLocation, desc string) func() error {
		return func() error {
			_, err := e.cd.RegisterApplicationRevision(e.ctx, &cdsdk.RegisterApplicationRevisionInput{ApplicationName: aws.String(app), Revision: rev, Description: aws.String(desc)})
			return err
		}
	}
	get := func(app string, rev *types.RevisionLocation) func() error {
		return func() error {
			_, err := e.cd.GetApplicationRevision(e.ctx, &cdsdk.GetApplicationRevisionInput{ApplicationName: aws.String(app), Revision: rev})
			return err
		}
	}
	list := func(in cdsdk.ListApplicationRevisionsInput) func() error {
		return func() error {
			if in.ApplicationName == nil {
				in.ApplicationName = aws.String("app")
			}
			_, err := e.cd.ListApplicationRevisions(e.ctx, &in)
			return err
		}
	}
	tests := []struct {
		name string
		code string
		call func() error
	}{
		{"register without an application", "ApplicationNameRequiredException", register("", appSpecRevision(yamlAppSpec), "")},
		{"register to a missing application", "ApplicationDoesNotExistException", register("nope", appSpecRevision(yamlAppSpec), "")},
		{"register a bad application name", "InvalidApplicationNameException", register(strings.Repeat("a", 101), appSpecRevision(yamlAppSpec), "")},
		{"register no revision", "RevisionRequiredException", func() error {
			return e.raw(t, "RegisterApplicationRevision", `{"applicationName":"app"}`)
		}},
		{"register an S3 revision", "InvalidRevisionException", register("app", s3, "")},
		{"register a GitHub revision", "InvalidRevisionException", register("app", github, "")},
		{"register with a wrong sha256", "InvalidRevisionException", register("app", &types.RevisionLocation{RevisionType: types.RevisionLocationTypeAppSpecContent,
			AppSpecContent: &types.AppSpecContent{Content: aws.String(yamlAppSpec), Sha256: aws.String(sha("x"))}}, "")},
		{"register what is no AppSpec", "InvalidRevisionException", register("app", appSpecRevision("version: 1"), "")},
		{"register a long description", "DescriptionTooLongException", register("app", appSpecRevision(specOf("2")), strings.Repeat("x", 513))},
		{"get without an application", "ApplicationNameRequiredException", get("", appSpecRevision(yamlAppSpec))},
		{"get of a missing application", "ApplicationDoesNotExistException", get("nope", appSpecRevision(yamlAppSpec))},
		{"get no revision", "RevisionRequiredException", func() error { return e.raw(t, "GetApplicationRevision", `{"applicationName":"app"}`) }},
		{"get an S3 revision", "InvalidRevisionException", get("app", s3)},
		{"get a revision of neither content nor sha256", "InvalidRevisionException", get("app", &types.RevisionLocation{RevisionType: types.RevisionLocationTypeAppSpecContent, AppSpecContent: &types.AppSpecContent{}})},
		{"get an unknown revision", "RevisionDoesNotExistException", get("app", appSpecRevision(specOf("2")))},
		{"list without an application", "ApplicationNameRequiredException", list(cdsdk.ListApplicationRevisionsInput{ApplicationName: aws.String("")})},
		{"list of a missing application", "ApplicationDoesNotExistException", list(cdsdk.ListApplicationRevisionsInput{ApplicationName: aws.String("nope")})},
		{"list sorted by name", "InvalidSortByException", list(cdsdk.ListApplicationRevisionsInput{SortBy: "name"})},
		{"list in a bad order", "InvalidSortOrderException", list(cdsdk.ListApplicationRevisionsInput{SortOrder: "up"})},
		{"list a bad deployed filter", "InvalidDeployedStateFilterException", list(cdsdk.ListApplicationRevisionsInput{Deployed: "sometimes"})},
		{"list a bucket", "InvalidBucketNameFilterException", list(cdsdk.ListApplicationRevisionsInput{S3Bucket: aws.String("releases")})},
		{"list a key prefix without a bucket", "BucketNameFilterRequiredException", list(cdsdk.ListApplicationRevisionsInput{S3KeyPrefix: aws.String("web/")})},
		{"list with a bad token", "InvalidNextTokenException", list(cdsdk.ListApplicationRevisionsInput{NextToken: aws.String("nope")})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { e.expectError(t, tt.code, tt.call) })
	}
	// The messages a client reads for the two refusals of this feature.
	_, err := e.cd.RegisterApplicationRevision(e.ctx, &cdsdk.RegisterApplicationRevisionInput{ApplicationName: aws.String("app"), Revision: s3})
	apitest.WantError(t, err, "InvalidRevisionException", "S3 revisions are not supported: fargo reads no Amazon S3 bucket and no GitHub repository. Give the AppSpec inline, as revisionType AppSpecContent with appSpecContent.content.", http.StatusBadRequest)
	_, err = e.cd.GetApplicationRevision(e.ctx, &cdsdk.GetApplicationRevisionInput{ApplicationName: aws.String("app"), Revision: appSpecRevision(specOf("2"))})
	apitest.WantError(t, err, "RevisionDoesNotExistException", "Application app has no revision with sha256 "+sha(specOf("2"))+".", http.StatusBadRequest)
}

// TestDeleteApplicationDeletesRevisions checks that an application made again under the same
// name has none of the old one's revisions, while another application keeps its own.
func TestDeleteApplicationDeletesRevisions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.createApp(t, "app")
	e.createApp(t, "app/two") // its revisions share the prefix "app/"
	e.register(t, "app", yamlAppSpec, "")
	e.register(t, "app/two", yamlAppSpec, "")
	if _, err := e.cd.DeleteApplication(e.ctx, &cdsdk.DeleteApplicationInput{ApplicationName: aws.String("app")}); err != nil {
		t.Fatal(err)
	}
	e.createApp(t, "app")
	_, err := e.cd.GetApplicationRevision(e.ctx, &cdsdk.GetApplicationRevisionInput{ApplicationName: aws.String("app"), Revision: appSpecRevision(yamlAppSpec)})
	if errorCode(err) != "RevisionDoesNotExistException" {
		t.Fatalf("a revision of the deleted application: %v", err)
	}
	e.getRevision(t, "app/two", appSpecRevision(yamlAppSpec))
}
