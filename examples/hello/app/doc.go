// Package app is the example application hello: its endpoints, settings, lifecycle and health
// probe. Command hello (examples/hello) runs Main; so does `fargo demo-app`, so that
// `fargo demo` can run hello with nothing but the fargo binary.
//
// It imports nothing from fargo: it stands for any user's application.
package app
