package daemon_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/credentials"
)

// TestRegionsServeLambdasRESTAPI: the hook functions have two APIs under one name (fargo's
// JSON one and Lambda's REST one); a region's front door must answer a REST call with the REST
// one, in the home region and in another (the JSON one took Lambda's CreateFunction and lost
// its URL).
func TestRegionsServeLambdasRESTAPI(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv := startRegionServer(t, ctx, dir)
	creds, err := credentials.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, region := range []string{"us-east-1", "ap-northeast-2"} {
		body := []byte(`{"FunctionName":"smoke","Role":"arn:aws:iam::000000000000:role/hook","Code":{"ZipFile":"UEsFBgA="},` +
			`"Runtime":"provided.al2023","Environment":{"Variables":{"FARGO_HOOK_URL":"http://127.0.0.1:8090/"}}}`)
		req, err := http.NewRequest(http.MethodPost, srv.Endpoint()+"/2015-03-31/functions", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		sum := sha256.Sum256(body)
		signer := aws.Credentials{AccessKeyID: creds.AccessKeyID, SecretAccessKey: creds.SecretAccessKey}
		if err := v4.NewSigner().SignHTTP(ctx, signer, req, hex.EncodeToString(sum[:]), "lambda", region, time.Now()); err != nil {
			t.Fatal(err)
		}
		resp, b := apitest.Do(t, req)
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), `"FARGO_HOOK_URL":"http://127.0.0.1:8090/"`) ||
			!strings.Contains(string(b), "arn:aws:lambda:"+region+":") {
			t.Errorf("%s: create-function: %d %s", region, resp.StatusCode, b)
		}
	}
}
