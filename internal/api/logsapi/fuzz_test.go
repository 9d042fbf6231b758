package logsapi_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/api/logsapi"
	"github.com/fargohq/fargo/internal/api/logsapi/logsapitest"
	"github.com/fargohq/fargo/internal/logstore"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/store/kv/memkv"
)

// FuzzOperations sends arbitrary bodies to every CloudWatch Logs operation, over one store and
// one event directory, so that the writes of one input meet the reads of the next. No input
// may panic, and every failure must be a client error (4xx).
func FuzzOperations(f *testing.F) {
	mem, err := memkv.New(memkv.Config{})
	if err != nil {
		f.Fatal(err)
	}
	events, err := logstore.Open(logstore.Config{Dir: f.TempDir(), SegmentBytes: 4096, FrameBytes: 512})
	if err != nil {
		f.Fatal(err)
	}
	now := time.Now()
	ms := func(d time.Duration) string { return strconv.FormatInt(now.Add(d).UnixMilli(), 10) }
	svc := logsapi.New(store.New(mem), logsapitest.NewSource(), events, func() time.Time { return now }).Service()
	seeds := []string{
		`{}`, `{"logGroupName":"/g"}`, `{"logGroupName":"/g","logGroupClass":"INFREQUENT_ACCESS","tags":{"k":"v"}}`,
		`{"logGroupName":"/g","logStreamName":"s"}`, `{"logGroupName":"/g","retentionInDays":1}`, `{"logGroupName":"/g","retentionInDays":2}`,
		`{"logGroupName":"/g","logStreamName":"s","logEvents":[{"timestamp":` + ms(-time.Minute) + `,"message":"a"},{"timestamp":` + ms(0) + `,"message":"b"}],"sequenceToken":"x"}`,
		`{"logGroupName":"/g","logStreamName":"s","logEvents":[{"timestamp":` + ms(-20*24*time.Hour) + `,"message":"old"},{"timestamp":` + ms(3*time.Hour) + `,"message":"new"}]}`,
		`{"logGroupName":"/g","logStreamName":"s","logEvents":[{"timestamp":2,"message":"a"},{"timestamp":1,"message":"b"}]}`,
		`{"logGroupName":"/g","logStreamName":"s","startFromHead":true,"limit":1,"nextToken":"f/00000000000000000000000000"}`,
		`{"logGroupName":"/g","filterPattern":"a \"b c\"","startTime":0,"endTime":9999999999999,"limit":2}`,
		`{"logGroupNamePrefix":"/","limit":1}`, `{"logGroupIdentifier":"arn:aws:logs:us-east-1:000000000000:log-group:/g:*","orderBy":"LastEventTime","descending":true}`,
	}
	apitest.FuzzJSON(f, svc, seeds)
}
