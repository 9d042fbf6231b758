// Package logs is the domain of CloudWatch Logs writes: the log groups and streams that clients
// create, a group's retention, and the rules PutLogEvents applies to a batch of events. It is
// pure: types, validation and rules, no I/O. The events themselves are kept by
// internal/logstore, and the groups and streams that container output implies are derived by
// the API from the tasks in the store.
package logs
