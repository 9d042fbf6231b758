package cli

import "runtime/debug"

// version is set when fargo is linked:
//
//	go build -ldflags "-X github.com/fargohq/fargo/internal/cli.version=v1.2.3" ./cmd/fargo
var version string

// buildID names this build of fargo: the linked version, else the module version, with the
// VCS revision when the build info has one. A server replaces a data plane of another build.
func buildID() string {
	v := version
	info, ok := debug.ReadBuildInfo()
	if v == "" && ok && info.Main.Version != "" {
		v = info.Main.Version
	}
	if v == "" {
		v = "(devel)"
	}
	if !ok {
		return v
	}
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "-dirty"
			}
		}
	}
	if rev != "" {
		v += " " + rev[:min(12, len(rev))] + modified
	}
	return v
}
