// Package logsapi serves the part of Amazon CloudWatch Logs (JSON 1.1, target prefix
// Logs_20140328, signing name "logs") that reads what task containers printed:
// DescribeLogGroups, DescribeLogStreams, GetLogEvents and FilterLogEvents. Nothing is ingested or
// stored here: the streams are derived from the tasks and task definitions in the store, and the
// events are the lines the runtime driver kept for each container, read through LogSource.
//
// Streams are named as ECS's awslogs driver names them:
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
// Events carry timestamp and ingestionTime in epoch milliseconds (both the time the driver read
// the line) and the line without its newline. Pagination tokens are opaque: GetLogEvents'
// tokens name a position in the stream (so polling with nextForwardToken returns the same token
// until there are new events), FilterLogEvents' token the last event returned, and the Describe
// operations' tokens an offset.
package logsapi
