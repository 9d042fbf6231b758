// Package archtest enforces the import rules of DESIGN.md: which fargo packages may import
// which. It holds only a test.
package archtest
