// Package apitest starts fargo's API front door on an httptest server over an in-memory store
// and hands tests real aws-sdk-go-v2 clients bound to it. Import it only from tests.
package apitest
