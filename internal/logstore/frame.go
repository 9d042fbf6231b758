package logstore

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
)

// Event is one stored event.
type Event struct {
	// Time is the event's timestamp and Ingest the time it was written, both in milliseconds
	// since the epoch.
	Time   int64
	Ingest int64
	// Seq orders the stream's events written with the same Time: later writes are higher.
	Seq     uint64
	Message string
}

// less orders events by time, then by the order they were written.
func (e Event) less(o Event) bool { return e.Time < o.Time || e.Time == o.Time && e.Seq < o.Seq }

const (
	frameMagic = "FLG1"
	headerSize = 4 + 4 + 4 + 4 + 8 + 8 + 8 + 8
	// maxFrameBody bounds a frame's body: a whole PutLogEvents batch (1 MiB of messages) with
	// the numbers of 10,000 events fits with room to spare.
	maxFrameBody = 4 << 20
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// errCorrupt marks a frame that is torn or damaged.
var errCorrupt = errors.New("corrupt frame")

// header is what a frame says about its events without decoding them.
type header struct {
	bodyLen   uint32
	crc       uint32
	count     uint32
	minTime   int64
	maxTime   int64
	maxIngest int64
	maxSeq    uint64
}

func (h header) size() int64 { return headerSize + int64(h.bodyLen) }

// appendFrame appends the frame of events to dst. events must not be empty.
func appendFrame(dst []byte, events []Event) []byte {
	h := header{count: uint32(len(events)), minTime: math.MaxInt64, maxTime: math.MinInt64, maxIngest: math.MinInt64}
	body := make([]byte, 0, 64)
	for _, e := range events {
		h.minTime, h.maxTime = min(h.minTime, e.Time), max(h.maxTime, e.Time)
		h.maxIngest, h.maxSeq = max(h.maxIngest, e.Ingest), max(h.maxSeq, e.Seq)
		body = binary.AppendVarint(body, e.Time)
		body = binary.AppendVarint(body, e.Ingest)
		body = binary.AppendUvarint(body, e.Seq)
		body = binary.AppendUvarint(body, uint64(len(e.Message)))
		body = append(body, e.Message...)
	}
	h.bodyLen = uint32(len(body))
	start := len(dst)
	dst = append(dst, frameMagic...)
	dst = binary.LittleEndian.AppendUint32(dst, h.bodyLen)
	dst = binary.LittleEndian.AppendUint32(dst, 0) // the CRC, below
	dst = binary.LittleEndian.AppendUint32(dst, h.count)
	dst = binary.LittleEndian.AppendUint64(dst, uint64(h.minTime))
	dst = binary.LittleEndian.AppendUint64(dst, uint64(h.maxTime))
	dst = binary.LittleEndian.AppendUint64(dst, uint64(h.maxIngest))
	dst = binary.LittleEndian.AppendUint64(dst, h.maxSeq)
	dst = append(dst, body...)
	crc := crc32.Checksum(dst[start+12:], crcTable)
	binary.LittleEndian.PutUint32(dst[start+8:], crc)
	return dst
}

// parseHeader reads a frame header.
func parseHeader(b []byte) (header, error) {
	if len(b) < headerSize || string(b[:4]) != frameMagic {
		return header{}, errCorrupt
	}
	h := header{
		bodyLen:   binary.LittleEndian.Uint32(b[4:]),
		crc:       binary.LittleEndian.Uint32(b[8:]),
		count:     binary.LittleEndian.Uint32(b[12:]),
		minTime:   int64(binary.LittleEndian.Uint64(b[16:])),
		maxTime:   int64(binary.LittleEndian.Uint64(b[24:])),
		maxIngest: int64(binary.LittleEndian.Uint64(b[32:])),
		maxSeq:    binary.LittleEndian.Uint64(b[40:]),
	}
	if h.bodyLen > maxFrameBody || h.count == 0 {
		return header{}, errCorrupt
	}
	return h, nil
}

// decodeFrame checks and decodes a whole frame (header and body).
func decodeFrame(b []byte) ([]Event, error) {
	h, err := parseHeader(b)
	if err != nil {
		return nil, err
	}
	if int64(len(b)) != h.size() || crc32.Checksum(b[12:], crcTable) != h.crc {
		return nil, errCorrupt
	}
	body := b[headerSize:]
	events := make([]Event, 0, h.count)
	for range h.count {
		var e Event
		var n int
		var size uint64
		if e.Time, n = binary.Varint(body); n <= 0 {
			return nil, errCorrupt
		}
		body = body[n:]
		if e.Ingest, n = binary.Varint(body); n <= 0 {
			return nil, errCorrupt
		}
		body = body[n:]
		if e.Seq, n = binary.Uvarint(body); n <= 0 {
			return nil, errCorrupt
		}
		body = body[n:]
		if size, n = binary.Uvarint(body); n <= 0 || size > uint64(len(body)-n) {
			return nil, errCorrupt
		}
		e.Message = string(body[n : n+int(size)])
		body = body[n+int(size):]
		events = append(events, e)
	}
	if len(body) != 0 {
		return nil, errCorrupt
	}
	return events, nil
}

// readFrame reads and decodes the frame at off of r.
func readFrame(r io.ReaderAt, off int64, size int64) ([]Event, error) {
	b := make([]byte, size)
	if _, err := r.ReadAt(b, off); err != nil {
		return nil, fmt.Errorf("read frame at %d: %w", off, err)
	}
	events, err := decodeFrame(b)
	if err != nil {
		return nil, fmt.Errorf("frame at %d: %w", off, err)
	}
	return events, nil
}

// scanFrames decodes the frames of b in order and returns them with the length of the valid
// prefix; it stops at the first frame that is torn or damaged.
func scanFrames(b []byte) (frames [][]Event, headers []header, valid int) {
	for valid < len(b) {
		h, err := parseHeader(b[valid:])
		if err != nil || int64(len(b)-valid) < h.size() {
			return frames, headers, valid
		}
		events, err := decodeFrame(b[valid : valid+int(h.size())])
		if err != nil {
			return frames, headers, valid
		}
		frames, headers = append(frames, events), append(headers, h)
		valid += int(h.size())
	}
	return frames, headers, valid
}
