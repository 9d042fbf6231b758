// Package wiretest checks the wire structs of the API packages against the botocore model: the
// members files that internal/api/testdata/gen_members.py writes list each shape's members with
// the kind of their values, and WireMembers describes a wire struct in the same words. Import it
// only from tests.
package wiretest
