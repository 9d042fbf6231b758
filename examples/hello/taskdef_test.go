package main

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"testing"

	"github.com/fargohq/fargo/examples/hello/app"
)

// taskDefinition is the part of the example task definitions that hello depends on.
type taskDefinition struct {
	Family               string
	ContainerDefinitions []struct {
		Name         string
		EntryPoint   []string
		Command      []string
		PortMappings []struct{ ContainerPort int }
		Environment  []struct{ Name, Value string }
		HealthCheck  struct{ Command []string }
	}
}

func TestTaskDefinitions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file        string
		wantVersion string
	}{
		{"task-definition.json", "v1"},
		{"task-definition-v2.json", "v2"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			var td taskDefinition
			readJSON(t, tt.file, &td)
			if td.Family != "hello" || len(td.ContainerDefinitions) != 1 {
				t.Fatalf("want family hello with one container, got %+v", td)
			}
			c := td.ContainerDefinitions[0]
			// fargo's process driver runs entryPoint + command, resolved through PATH.
			if argv := slices.Concat(c.EntryPoint, c.Command); !slices.Equal(argv, []string{"hello"}) {
				t.Errorf("runs %q, want [hello]", argv)
			}
			if want := []string{"CMD", "hello", "-healthcheck"}; !slices.Equal(c.HealthCheck.Command, want) {
				t.Errorf("health check %q, want %q", c.HealthCheck.Command, want)
			}
			if len(c.PortMappings) != 1 || c.PortMappings[0].ContainerPort != app.DefaultPort {
				t.Errorf("port mappings %+v, want containerPort %d", c.PortMappings, app.DefaultPort)
			}
			var version string
			for _, kv := range c.Environment {
				if kv.Name == "VERSION" {
					version = kv.Value
				}
			}
			if version != tt.wantVersion {
				t.Errorf("VERSION = %q, want %q", version, tt.wantVersion)
			}
		})
	}
}

// TestTaskDefinitionsDifferInVersionOnly keeps v2 a copy of v1, so that deploying it changes
// nothing but the version the app reports.
func TestTaskDefinitionsDifferInVersionOnly(t *testing.T) {
	t.Parallel()
	var v1, v2 map[string]any
	readJSON(t, "task-definition.json", &v1)
	readJSON(t, "task-definition-v2.json", &v2)
	env := func(td map[string]any) []any {
		return td["containerDefinitions"].([]any)[0].(map[string]any)["environment"].([]any)
	}
	env(v2)[0].(map[string]any)["value"] = "v1"
	if !reflect.DeepEqual(v1, v2) {
		t.Errorf("task-definition-v2.json differs from task-definition.json in more than VERSION")
	}
}

func readJSON(t *testing.T, file string, v any) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
}

// TestImageTaskDefinition keeps task-definition-image.json what a task definition copied from
// an ECS project is: an image in a registry (fargo's, at the README's address), no command (the
// image's entrypoint runs), and no VERSION, which the image carries.
func TestImageTaskDefinition(t *testing.T) {
	t.Parallel()
	var td taskDefinition
	readJSON(t, "task-definition-image.json", &td)
	var raw struct{ ContainerDefinitions []struct{ Image string } }
	readJSON(t, "task-definition-image.json", &raw)
	if len(td.ContainerDefinitions) != 1 || len(raw.ContainerDefinitions) != 1 {
		t.Fatalf("want one container, got %+v", td)
	}
	c := td.ContainerDefinitions[0]
	if img := raw.ContainerDefinitions[0].Image; img != "127.0.0.1:4566/hello:latest" {
		t.Errorf("image %q, want 127.0.0.1:4566/hello:latest", img)
	}
	if len(c.EntryPoint)+len(c.Command) != 0 {
		t.Errorf("entryPoint %q, command %q: the image's entrypoint must run", c.EntryPoint, c.Command)
	}
	if want := []string{"CMD", "/hello", "-healthcheck"}; !slices.Equal(c.HealthCheck.Command, want) {
		t.Errorf("health check %q, want %q", c.HealthCheck.Command, want)
	}
	if len(c.PortMappings) != 1 || c.PortMappings[0].ContainerPort != app.DefaultPort {
		t.Errorf("port mappings %+v, want containerPort %d", c.PortMappings, app.DefaultPort)
	}
	for _, kv := range c.Environment {
		if kv.Name == "VERSION" {
			t.Errorf("VERSION %q in the task definition would override the image's", kv.Value)
		}
	}
}
