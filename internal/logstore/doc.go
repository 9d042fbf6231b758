// Package logstore keeps the events that clients write to CloudWatch Logs streams, under a
// directory of the server's data directory, and removes them when their group's retention
// ends. It knows streams only by the id the store gives each (logs.Stream.ID); names, groups
// and existence are the store's.
//
// Each stream is a directory of segment files made of frames. A frame is a header (magic,
// length, CRC-32C, event count, time range, newest ingestion time, highest sequence number)
// and its events (timestamp, ingestion time, sequence number, message). Every accepted
// PutLogEvents batch is appended to the stream's head segment as one frame and fsynced before
// the call returns, so a batch is kept whole or, after a crash in the middle of the write, not
// at all: a torn frame at the end of the head is cut off when the stream is next opened.
//
// Batches of one stream may arrive out of time order, so the head is read whole and sorted
// when read; it is kept small: once it holds SegmentBytes it is sealed, that is sorted by
// (timestamp, sequence) and rewritten as a run of frames of about FrameBytes, which are read
// one frame at a time. A read by time range merges the head with the runs whose time range
// it reaches, so its memory is the head plus one frame per run that overlaps in time at the
// point being read.
//
// Sequence numbers order events written at the same millisecond: later writes come after,
// so a position (time, count of events at that time) stays valid while a stream grows.
package logstore
