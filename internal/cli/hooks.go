package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/spf13/cobra"
)

// hooksTargetPrefix is the X-Amz-Target prefix of the server's hook functions API.
const hooksTargetPrefix = "FargoHooks_20261207"

func newHooksCmd(stdout io.Writer) *cobra.Command {
	var client clientOptions
	cmd := &cobra.Command{
		Use:   "hooks",
		Short: "Register the HTTP(S) endpoints that deployment hooks name as Lambda functions",
		Long: `An AppSpec hook (BeforeInstall: smoke) or an ECS lifecycle hook's hookTargetArn names a Lambda
function; fargo invokes a registered function's URL instead, with the payload Lambda would get
(docs/hooks.md). A hook may name the function by name or by its ARN,
arn:aws:lambda:<region>:<account>:function:<name>.

The commands talk to the server's hook functions API (IAM actions lambda:CreateFunction,
lambda:UpdateFunctionConfiguration, lambda:GetFunction, lambda:ListFunctions,
lambda:DeleteFunction) as the other commands do: --endpoint-url or $AWS_ENDPOINT_URL with the
standard AWS credentials, else the local server of --data-dir.`,
	}
	var put hookFunction
	putCmd := &cobra.Command{
		Use:   "put NAME URL [--timeout DURATION] [--description TEXT]",
		Short: "Register a function, or change a registered one",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			put.FunctionName, put.URL = args[0], args[1]
			return withHooksClient(cmd.Context(), client, func(c *hooksClient) error { return runHooksPut(cmd.Context(), c, put, stdout) })
		},
	}
	var timeout time.Duration
	putCmd.Flags().DurationVar(&timeout, "timeout", 0, "how long one execution of the function may take, from its first invocation (whole seconds, at most 1h; default: the hook's own deadline)")
	putCmd.Flags().StringVar(&put.Description, "description", "", "a description")
	putCmd.PreRunE = func(*cobra.Command, []string) error {
		if timeout%time.Second != 0 {
			return fmt.Errorf("--timeout %s: use whole seconds", timeout)
		}
		put.Timeout = int(timeout / time.Second)
		return nil
	}
	var output string
	listCmd := &cobra.Command{
		Use:   "list [-o table|json]",
		Short: "List the registered functions",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withHooksClient(cmd.Context(), client, func(c *hooksClient) error { return runHooksList(cmd.Context(), c, output, stdout) })
		},
	}
	listCmd.Flags().StringVarP(&output, "output", "o", "table", "table or json")
	deleteCmd := &cobra.Command{
		Use:   "delete NAME",
		Short: "Remove a registered function",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withHooksClient(cmd.Context(), client, func(c *hooksClient) error {
				return c.call(cmd.Context(), "DeleteFunction", hookFunction{FunctionName: args[0]}, nil)
			})
		},
	}
	for _, sub := range []*cobra.Command{putCmd, listCmd, deleteCmd} {
		addClientFlags(sub, &client)
		cmd.AddCommand(sub)
	}
	return cmd
}

// hookFunction is a function as the hook functions API sends and takes it.
type hookFunction struct {
	FunctionName string `json:"FunctionName"`
	FunctionArn  string `json:"FunctionArn,omitempty"`
	URL          string `json:"Url,omitempty"`
	Timeout      int    `json:"Timeout,omitempty"`
	Description  string `json:"Description,omitempty"`
	LastModified string `json:"LastModified,omitempty"`
}

// runHooksPut creates the function or, when it exists, changes it.
func runHooksPut(ctx context.Context, c *hooksClient, f hookFunction, stdout io.Writer) error {
	var out hookFunction
	err := c.call(ctx, "CreateFunction", f, &out)
	var apiErr *hooksAPIError
	if errors.As(err, &apiErr) && apiErr.Code == "ResourceConflictException" {
		err = c.call(ctx, "UpdateFunctionConfiguration", f, &out)
	}
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "%s → %s\n", out.FunctionArn, out.URL)
	return err
}

func runHooksList(ctx context.Context, c *hooksClient, output string, stdout io.Writer) error {
	if output != "table" && output != "json" {
		return fmt.Errorf("-o %q: want table or json", output)
	}
	var out struct {
		Functions []hookFunction `json:"Functions"`
	}
	if err := c.call(ctx, "ListFunctions", struct{}{}, &out); err != nil {
		return err
	}
	if output == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tURL\tTIMEOUT\tARN")
	for _, f := range out.Functions {
		timeout := "-"
		if f.Timeout > 0 {
			timeout = (time.Duration(f.Timeout) * time.Second).String()
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", f.FunctionName, f.URL, timeout, f.FunctionArn)
	}
	return w.Flush()
}

// hooksClient calls the hook functions API, signed with SigV4 for the lambda service as the
// SDKs sign awsJson1_1 calls; no SDK has a client for it.
type hooksClient struct {
	cfg      aws.Config
	endpoint string
	http     *http.Client
}

func withHooksClient(ctx context.Context, o clientOptions, run func(*hooksClient) error) error {
	cfg, err := awsConfig(ctx, o, os.Getenv)
	if err != nil {
		return err
	}
	c, err := newHooksClient(cfg)
	if err != nil {
		return err
	}
	return run(c)
}

func newHooksClient(cfg aws.Config) (*hooksClient, error) {
	endpoint := aws.ToString(cfg.BaseEndpoint)
	if endpoint == "" {
		endpoint = os.Getenv("AWS_ENDPOINT_URL")
	}
	if endpoint == "" {
		return nil, errors.New("no fargo endpoint: set --endpoint-url or AWS_ENDPOINT_URL")
	}
	return &hooksClient{cfg: cfg, endpoint: strings.TrimSuffix(endpoint, "/") + "/", http: &http.Client{Timeout: 30 * time.Second}}, nil
}

// hooksAPIError is an error answer of the API.
type hooksAPIError struct {
	Code    string `json:"__type"`
	Message string `json:"message"`
}

func (e *hooksAPIError) Error() string { return e.Code + ": " + e.Message }

// call sends op with in and decodes the answer into out (nil: discarded).
func (c *hooksClient) call(ctx context.Context, op string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", hooksTargetPrefix+"."+op)
	creds, err := c.cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return fmt.Errorf("credentials: %w", err)
	}
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "lambda", c.cfg.Region, time.Now()); err != nil {
		return err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	defer func() { _ = resp.Body.Close() }()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, 10<<20))
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if resp.StatusCode != http.StatusOK {
		apiErr := &hooksAPIError{}
		if json.Unmarshal(answer, apiErr) != nil || apiErr.Code == "" {
			return fmt.Errorf("%s: HTTP %d: %s", op, resp.StatusCode, answer)
		}
		return fmt.Errorf("%s: %w", op, apiErr)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(answer, out)
}
