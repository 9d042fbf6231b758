// Package wiretest checks the wire structs and answers of the API packages against AWS: the
// members files that internal/api/testdata/gen_members.py writes list each shape's members with
// the kind of their values, and WireMembers describes a wire struct in the same words (Check);
// Defaults checks which members an answer carries, and with which values, for a request that
// leaves them out (docs/wire-defaults.md). Import it only from tests.
package wiretest
