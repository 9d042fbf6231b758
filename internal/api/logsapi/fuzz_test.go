package logsapi_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/fargohq/fargo/internal/api/apitest"
	"github.com/fargohq/fargo/internal/api/awsproto"
	"github.com/fargohq/fargo/internal/api/logsapi"
	"github.com/fargohq/fargo/internal/api/logsapi/logsapitest"
	"github.com/fargohq/fargo/internal/logstore"
	"github.com/fargohq/fargo/internal/store"
	"github.com/fargohq/fargo/internal/store/kv/memkv"
)

// FuzzOperations sends arbitrary bodies to every CloudWatch Logs operation of a service that
// holds group /g with stream s and two events, built afresh (store and event directory) for
// each input. No input may panic, and every failure must be a client error (4xx).
func FuzzOperations(f *testing.F) {
	now := time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)
	ms := func(d time.Duration) string { return strconv.FormatInt(now.Add(d).UnixMilli(), 10) }
	events := func(entries ...string) string {
		out := `{"logGroupName":"/g","logStreamName":"s","logEvents":[`
		for i := 0; i < len(entries); i += 2 {
			if i > 0 {
				out += ","
			}
			out += `{"timestamp":` + entries[i] + `,"message":"` + entries[i+1] + `"}`
		}
		return out + `]}`
	}
	setup := []apitest.Call{
		{Op: "CreateLogGroup", Body: `{"logGroupName":"/g"}`},
		{Op: "CreateLogStream", Body: `{"logGroupName":"/g","logStreamName":"s"}`},
		{Op: "PutLogEvents", Body: events(ms(-time.Minute), "a b", ms(0), "c")},
	}
	seeds := []apitest.Call{
		{Op: "CreateLogGroup", Body: `{"logGroupName":"/h","logGroupClass":"INFREQUENT_ACCESS","tags":{"k":"v"}}`},
		{Op: "CreateLogStream", Body: `{"logGroupName":"/g","logStreamName":"t"}`},
		{Op: "PutRetentionPolicy", Body: `{"logGroupName":"/g","retentionInDays":1}`},
		{Op: "DeleteRetentionPolicy", Body: `{"logGroupName":"/g"}`},
		{Op: "PutLogEvents", Body: events(ms(-time.Second), "x", ms(0), "y")},
		{Op: "PutLogEvents", Body: events(ms(-20*24*time.Hour), "old", ms(-time.Hour), "kept", ms(3*time.Hour), "new")},
		{Op: "PutLogEvents", Body: events("2", "a", "1", "b")},
		{Op: "GetLogEvents", Body: `{"logGroupName":"/g","logStreamName":"s","startFromHead":true,"limit":1,"nextToken":"f/00000000000000000000000000"}`},
		{Op: "FilterLogEvents", Body: `{"logGroupName":"/g","filterPattern":"a \"b\"","startTime":0,"endTime":9999999999999,"limit":1}`},
		{Op: "DescribeLogGroups", Body: `{"logGroupNamePrefix":"/","limit":1,"logGroupClass":"STANDARD"}`},
		{Op: "DescribeLogStreams", Body: `{"logGroupIdentifier":"arn:aws:logs:us-east-1:000000000000:log-group:/g:*","orderBy":"LastEventTime","descending":true}`},
		{Op: "DeleteLogStream", Body: `{"logGroupName":"/g","logStreamName":"s"}`},
		{Op: "DeleteLogGroup", Body: `{"logGroupName":"/g"}`},
	}
	apitest.FuzzJSON(f, func(t testing.TB) awsproto.Service {
		mem, err := memkv.New(memkv.Config{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = mem.Close() })
		events, err := logstore.Open(logstore.Config{Dir: t.TempDir(), SegmentBytes: 4096, FrameBytes: 512})
		if err != nil {
			t.Fatal(err)
		}
		return logsapi.New(store.New(mem), logsapitest.NewSource(), events, func() time.Time { return now }).Service()
	}, setup, seeds)
}
