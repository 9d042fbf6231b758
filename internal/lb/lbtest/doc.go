// Package lbtest has helpers for tests of the lb data plane and of the controllers that drive
// it: identifiable httptest backends (slow responses, server-sent events, WebSocket echo,
// switchable health), a self-signed certificate, a client that never retries, and a Proxy
// running for the length of a test.
package lbtest
