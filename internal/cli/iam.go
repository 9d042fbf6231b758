package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	iamsdk "github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/spf13/cobra"
)

func newIAMCmd(stdout io.Writer) *cobra.Command {
	cmd := &cobra.Command{Use: "iam", Short: "Questions about IAM users, roles and their policies"}
	cmd.AddCommand(newIAMExplainCmd(stdout))
	return cmd
}

// explainOptions are the flags and arguments of fargo iam explain.
type explainOptions struct {
	client    clientOptions
	user      string
	accessKey string
	role      string
	group     string
	context   []string // key=value[,value...]
	action    string
	resources []string
}

func newIAMExplainCmd(stdout io.Writer) *cobra.Command {
	var o explainOptions
	cmd := &cobra.Command{
		Use:   "explain (--user NAME | --access-key ID | --role NAME | --group NAME) ACTION [RESOURCE-ARN...]",
		Short: "Say whether a user's (or role's) policies allow an action, and which statements decide",
		Long: `Ask the server whether the policies of an IAM user (its groups' too), of the user owning an
access key, of a role or of a group allow an action on resources, as the server decides API calls,
and print the statements that decided. For example:

  fargo iam explain --user ci ecs:UpdateService arn:aws:ecs:us-east-1:000000000000:service/prod/web

It asks the server's IAM policy simulator (SimulatePrincipalPolicy), which evaluates with the same
evaluator that authorizes calls. Condition keys the policies test and that the question does not
give are listed; give them with --context aws:SourceIp=192.0.2.7.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.action, o.resources = args[0], args[1:]
			c, err := newClients(cmd.Context(), o.client, os.Getenv)
			if err != nil {
				return err
			}
			return runExplain(cmd.Context(), o, c.iam, stdout)
		},
	}
	addClientFlags(cmd, &o.client)
	cmd.Flags().StringVar(&o.user, "user", "", "the IAM user whose policies (and its groups') decide")
	cmd.Flags().StringVar(&o.accessKey, "access-key", "", "the access key id whose user's policies decide")
	cmd.Flags().StringVar(&o.role, "role", "", "the IAM role whose policies decide")
	cmd.Flags().StringVar(&o.group, "group", "", "the IAM group whose policies decide")
	cmd.Flags().StringArrayVar(&o.context, "context", nil, "a condition key's value(s), as aws:SourceIp=192.0.2.7 or aws:TagKeys=team,env (repeatable)")
	return cmd
}

// runExplain resolves the principal, asks the simulator and prints its answer in words.
func runExplain(ctx context.Context, o explainOptions, client *iamsdk.Client, out io.Writer) error {
	source, err := principalARN(ctx, o, client)
	if err != nil {
		return err
	}
	entries, err := contextEntries(o.context)
	if err != nil {
		return err
	}
	res, err := client.SimulatePrincipalPolicy(ctx, &iamsdk.SimulatePrincipalPolicyInput{
		PolicySourceArn: aws.String(source), ActionNames: []string{o.action}, ResourceArns: o.resources, ContextEntries: entries,
	})
	if err != nil {
		return err
	}
	docs := policyDocuments(ctx, client, source)
	for _, r := range res.EvaluationResults {
		printEvaluation(out, source, r, docs)
	}
	return nil
}

// principalARN is the ARN of the user, role or group the options name.
func principalARN(ctx context.Context, o explainOptions, client *iamsdk.Client) (string, error) {
	named := 0
	for _, s := range []string{o.user, o.accessKey, o.role, o.group} {
		if s != "" {
			named++
		}
	}
	if named != 1 {
		return "", errors.New("name exactly one of --user, --access-key, --role and --group")
	}
	user := o.user
	switch {
	case o.accessKey != "":
		used, err := client.GetAccessKeyLastUsed(ctx, &iamsdk.GetAccessKeyLastUsedInput{AccessKeyId: aws.String(o.accessKey)})
		if err != nil {
			return "", err
		}
		user = aws.ToString(used.UserName)
	case o.role != "":
		r, err := client.GetRole(ctx, &iamsdk.GetRoleInput{RoleName: aws.String(o.role)})
		if err != nil {
			return "", err
		}
		return aws.ToString(r.Role.Arn), nil
	case o.group != "":
		g, err := client.GetGroup(ctx, &iamsdk.GetGroupInput{GroupName: aws.String(o.group)})
		if err != nil {
			return "", err
		}
		return aws.ToString(g.Group.Arn), nil
	}
	u, err := client.GetUser(ctx, &iamsdk.GetUserInput{UserName: aws.String(user)})
	if err != nil {
		return "", err
	}
	return aws.ToString(u.User.Arn), nil
}

// contextEntries reads --context key=value[,value...] flags.
func contextEntries(flags []string) ([]iamtypes.ContextEntry, error) {
	var out []iamtypes.ContextEntry
	for _, f := range flags {
		key, values, ok := strings.Cut(f, "=")
		if !ok || key == "" {
			return nil, fmt.Errorf("--context %q: want key=value", f)
		}
		out = append(out, iamtypes.ContextEntry{ContextKeyName: aws.String(key), ContextKeyValues: strings.Split(values, ","), ContextKeyType: iamtypes.ContextKeyTypeEnumStringList})
	}
	return out, nil
}

// printEvaluation writes one result in plain words, with the text of each deciding statement
// when its document is known.
func printEvaluation(out io.Writer, source string, r iamtypes.EvaluationResult, docs map[string]string) {
	verdict := map[iamtypes.PolicyEvaluationDecisionType]string{
		iamtypes.PolicyEvaluationDecisionTypeAllowed:      "ALLOWED",
		iamtypes.PolicyEvaluationDecisionTypeExplicitDeny: "DENIED, explicitly",
		iamtypes.PolicyEvaluationDecisionTypeImplicitDeny: "DENIED: no statement allows it",
	}[r.EvalDecision]
	fmt.Fprintf(out, "%s on %s for %s: %s\n", aws.ToString(r.EvalActionName), aws.ToString(r.EvalResourceName), source, verdict)
	for _, s := range r.MatchedStatements {
		verb := "allowed by"
		if r.EvalDecision == iamtypes.PolicyEvaluationDecisionTypeExplicitDeny {
			verb = "denied by"
		}
		fmt.Fprintf(out, "  %s the statement at %s of %s\n", verb, statementLines(s), policyWords(s))
		if text, ok := statementText(docs[policyKey(string(s.SourcePolicyType), aws.ToString(s.SourcePolicyId))], s); ok {
			for _, l := range strings.Split(text, "\n") {
				fmt.Fprintf(out, "      %s\n", l)
			}
		}
	}
	if len(r.MissingContextValues) > 0 {
		fmt.Fprintf(out, "  the policies test condition keys this question did not give: %s (give them with --context KEY=VALUE)\n", strings.Join(r.MissingContextValues, ", "))
	}
}

func statementLines(s iamtypes.Statement) string {
	if s.StartPosition == nil || s.EndPosition == nil {
		return "an unknown place"
	}
	if s.StartPosition.Line == s.EndPosition.Line {
		return fmt.Sprintf("line %d", s.StartPosition.Line)
	}
	return fmt.Sprintf("lines %d-%d", s.StartPosition.Line, s.EndPosition.Line)
}

func policyWords(s iamtypes.Statement) string {
	id := aws.ToString(s.SourcePolicyId)
	switch s.SourcePolicyType {
	case iamtypes.PolicySourceTypeUser:
		return "the user's inline policy " + id
	case iamtypes.PolicySourceTypeGroup:
		return "the inline policy " + id + " of a group of the user"
	case iamtypes.PolicySourceTypeRole:
		return "the role's inline policy " + id
	case iamtypes.PolicySourceTypeAwsManaged:
		return "the AWS managed policy " + id
	case iamtypes.PolicySourceTypeUserManaged:
		return "the customer managed policy " + id
	}
	return "the policy " + id
}

func policyKey(typ, id string) string { return typ + "/" + id }

// statementText cuts the statement s names out of doc, by its positions.
func statementText(doc string, s iamtypes.Statement) (string, bool) {
	if doc == "" || s.StartPosition == nil || s.EndPosition == nil {
		return "", false
	}
	docLines := strings.Split(doc, "\n")
	first, last := int(s.StartPosition.Line)-1, int(s.EndPosition.Line)-1
	if first < 0 || last >= len(docLines) || first > last {
		return "", false
	}
	part := docLines[first : last+1]
	startCol, endCol := int(s.StartPosition.Column)-1, int(s.EndPosition.Column)
	lastLine := []rune(part[len(part)-1])
	if endCol > len(lastLine) {
		return "", false
	}
	part[len(part)-1] = string(lastLine[:endCol])
	firstLine := []rune(part[0])
	if startCol < 0 || startCol > len(firstLine) {
		return "", false
	}
	part[0] = string(firstLine[startCol:])
	return strings.Join(part, "\n"), true
}

// policyDocuments returns the documents of source's policies by policyKey, from
// GetAccountAuthorizationDetails; what it cannot read it leaves out, and the explanation then
// goes without the statements' text.
func policyDocuments(ctx context.Context, client *iamsdk.Client, source string) map[string]string {
	docs := map[string]string{}
	add := func(typ, name string, doc *string) {
		if text, err := url.QueryUnescape(aws.ToString(doc)); err == nil {
			docs[policyKey(typ, name)] = text
		}
	}
	groups := map[string]bool{}
	var details []*iamsdk.GetAccountAuthorizationDetailsOutput
	p := iamsdk.NewGetAccountAuthorizationDetailsPaginator(client, &iamsdk.GetAccountAuthorizationDetailsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return docs
		}
		details = append(details, page)
	}
	for _, page := range details {
		for _, u := range page.UserDetailList {
			if aws.ToString(u.Arn) != source {
				continue
			}
			for _, ip := range u.UserPolicyList {
				add("user", aws.ToString(ip.PolicyName), ip.PolicyDocument)
			}
			for _, g := range u.GroupList {
				groups[g] = true
			}
		}
		for _, r := range page.RoleDetailList {
			if aws.ToString(r.Arn) == source {
				for _, ip := range r.RolePolicyList {
					add("role", aws.ToString(ip.PolicyName), ip.PolicyDocument)
				}
			}
		}
	}
	for _, page := range details {
		for _, g := range page.GroupDetailList {
			if groups[aws.ToString(g.GroupName)] || aws.ToString(g.Arn) == source {
				for _, ip := range g.GroupPolicyList {
					add("group", aws.ToString(ip.PolicyName), ip.PolicyDocument)
				}
			}
		}
		for _, mp := range page.Policies {
			typ := "user-managed"
			if strings.HasPrefix(aws.ToString(mp.Arn), "arn:aws:iam::aws:") {
				typ = "aws-managed"
			}
			for _, v := range mp.PolicyVersionList {
				if v.IsDefaultVersion {
					add(typ, aws.ToString(mp.PolicyName), v.Document)
				}
			}
		}
	}
	return docs
}
