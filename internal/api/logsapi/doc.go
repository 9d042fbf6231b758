// Package logsapi serves Amazon CloudWatch Logs (JSON 1.1, target prefix Logs_20140328,
// signing name "logs") over two kinds of log groups and streams, merged into one view:
//
//   - the output of task containers, which nothing copies: groups and streams derived from the
//     tasks and task definitions in the store, events read through LogSource from the lines the
//     runtime driver keeps;
//   - what clients create and write: groups and streams as records in the store
//     (logs.Group, logs.Stream), events kept by internal/logstore under the data directory.
//
// A derived group and a created group of the same name are one group, and so are streams. A
// group or stream exists when either kind has it; CreateLogGroup and CreateLogStream fail for a
// name that exists either way. PutLogEvents to a stream of container output writes the stream's
// record on the first call; reads merge both kinds in time order. PutRetentionPolicy on a
// derived group writes the group's record. DeleteLogGroup and DeleteLogStream remove records
// and written events; container output stays (and its groups and streams with it) for as long
// as its task is kept. A group's retention hides older events of both kinds from every read;
// written events are also removed from disk (at once by PutRetentionPolicy, and by the
// logstore Sweeper as time goes on), container output is the driver's to rotate.
//
// Derived streams are named as ECS's awslogs driver names them:
//
//   - a container whose logConfiguration has logDriver "awslogs" with options awslogs-group G and
//     awslogs-stream-prefix P is stream "P/<container name>/<task id>" in group G; without a
//     prefix it is "<task id>-<container name>", the container's runtime id, as Docker's awslogs
//     driver names a stream after the container;
//   - every other container is stream "<container name>/<task id>" in the synthetic group
//     "/fargo/<cluster>", which exists for every ACTIVE cluster.
//
// Every container of every task the store keeps (stopped ones included, until they expire) has
// its stream, empty until the container wrote something; the stream goes when its task does. The
// containers of a task whose task definition was deleted fall back to the synthetic group.
//
// Events carry timestamp and ingestionTime in epoch milliseconds (for container output both the
// time the driver read the line) and the line without its newline. Pagination tokens are
// opaque: GetLogEvents' tokens name a position in the stream (so polling with nextForwardToken
// returns the same token until there are new events), FilterLogEvents' token the last event
// returned, and the Describe operations' tokens an offset.
package logsapi
