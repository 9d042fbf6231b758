// Package sigv4 verifies AWS Signature Version 4 on incoming requests, so that the unchanged AWS
// CLI, SDKs and GitHub Actions can authenticate against fargo with an access key and secret.
//
// Verification is a pure function of the request, its body, a secret lookup and the clock:
// Verifier.Verify rebuilds the canonical request exactly as the clients do (path segments
// encoded twice as for every service but S3, query parameters sorted after RFC 3986 encoding,
// signed headers trimmed with inner runs of spaces collapsed, the host taken from
// http.Request.Host), derives the signing key from the secret and the credential scope, and
// compares signatures in constant time. Both the Authorization header and presigned query
// parameters (X-Amz-Algorithm, X-Amz-Credential, ...) are accepted.
//
// The payload hash is always computed from the body. A client may also send it in
// x-amz-content-sha256 (the JS SDK v3 does so for every service); it must then equal the
// computed hash, so UNSIGNED-PAYLOAD and streaming payloads are refused: none of the services
// fargo serves takes an unsigned body, and accepting one would let anyone holding a captured
// request replay it with a different body within the clock-skew window.
//
// A failure is a *Error whose Reason the API edge maps to the error code of its protocol
// (InvalidSignatureException, SignatureDoesNotMatch, UnrecognizedClientException, ...); its
// Message is the text AWS sends for the same failure. Checking that the signing service and
// region in Identity fit the endpoint is left to the caller.
package sigv4
