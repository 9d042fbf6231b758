// Package awsquery decodes and encodes the parameters of the awsQuery protocol (ELBv2, STS):
// the flattened form in which every member of a request is one name=value pair, nested
// members are joined with dots, lists are numbered "Name.member.N" from 1 and maps are
// "Name.entry.N.key" / "Name.entry.N.value".
//
// Decode fills a wire shape, a struct whose optional members are pointers as in the AWS SDK
// shapes, from the parsed form body or query string; Encode is its inverse. A member's wire
// name is its Go field name unless a `query:"Name"` tag overrides it; `query:"-"` skips it;
// embedded structs are members like any other, not flattened.
// Supported member types are strings, booleans, signed and unsigned integers, floats,
// time.Time (ISO 8601), structs, slices and maps with string keys, each possibly behind a
// pointer.
//
// Decoding follows what AWS accepts rather than what one client sends. List members may come
// sparse and in any order; they are sorted by N and compacted. An empty list or map is sent as
// "Name=" and decodes to an empty, non-nil value. Parameters the shape does not name, Action and
// Version among them, are ignored, as AWS ignores them. Client mistakes are errdefs.ErrInvalidArgument errors worded as AWS
// words its validation errors; a target that is not a pointer to a struct, or a member type the
// package does not support, is a programming error and is returned without a kind.
//
// Memory stays proportional to the input: the decoder keeps only a sorted copy of the
// parameter names, and list indices above MaxListIndex are refused, so no parameter name makes
// it allocate more than the parameters themselves.
package awsquery
