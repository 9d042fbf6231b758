package awsproto

import (
	"encoding/json"
	"math"
	"strconv"
	"time"
)

// EpochSeconds is a timestamp on the wire of the JSON protocols: a JSON number of seconds since
// the epoch, with a fraction for sub-second precision.
type EpochSeconds time.Time

// MarshalJSON sends the time with millisecond precision.
func (e EpochSeconds) MarshalJSON() ([]byte, error) {
	t := time.Time(e)
	return strconv.AppendFloat(nil, float64(t.UnixMilli())/1000, 'f', -1, 64), nil
}

// UnmarshalJSON reads a number of seconds; null leaves the time unchanged.
func (e *EpochSeconds) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil // an absent timestamp, as encoding/json treats null for other types
	}
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	// Rounded to microseconds: 1.123 is 1.12299999... as a float64, and must compare equal
	// to the millisecond it names.
	*e = EpochSeconds(time.UnixMicro(int64(math.Round(f * 1e6))).UTC())
	return nil
}

// Epoch returns t on the wire, or nil for the zero time (an absent timestamp).
func Epoch(t time.Time) *EpochSeconds {
	if t.IsZero() {
		return nil
	}
	e := EpochSeconds(t)
	return &e
}
