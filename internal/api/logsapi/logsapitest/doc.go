// Package logsapitest starts fargo's API front door with the CloudWatch Logs API on an httptest
// server, over an in-memory store and an in-memory LogSource, and hands tests a real
// aws-sdk-go-v2 cloudwatchlogs client bound to it, with helpers to write tasks into the store.
// Import it only from tests.
package logsapitest
