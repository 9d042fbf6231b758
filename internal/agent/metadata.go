package agent

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/store"
)

// serveMetadata serves the task metadata endpoint (version 4, and version 3 with the same
// documents) that ECS_CONTAINER_METADATA_URI_V4 points every container at.
func (a *Agent) serveMetadata(ctx context.Context) error {
	mux := http.NewServeMux()
	for _, v := range []string{"v3", "v4"} {
		mux.HandleFunc("GET /"+v+"/{id}", a.containerMetadata)
		mux.HandleFunc("GET /"+v+"/{id}/task", a.taskMetadata)
		mux.HandleFunc("GET /"+v+"/{id}/stats", emptyStats)
		mux.HandleFunc("GET /"+v+"/{id}/task/stats", emptyStats)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	if err := srv.Serve(a.meta); err != nil && !errors.Is(err, http.ErrServerClosed) && ctx.Err() == nil {
		return err
	}
	return nil
}

func emptyStats(w http.ResponseWriter, _ *http.Request) { writeJSON(w, map[string]any{}) }

// lookup finds the task and container of a container ID ("<task id>-<name>").
func (a *Agent) lookup(id string) (ecs.Task, ecs.Container, bool) {
	taskID, name, ok := strings.Cut(id, "-")
	if !ok {
		return ecs.Task{}, ecs.Container{}, false
	}
	items := a.tasks.Filter(func(it store.Item[ecs.Task]) bool { return it.Value.ID == taskID })
	if len(items) == 0 {
		return ecs.Task{}, ecs.Container{}, false
	}
	t := items[0].Value
	for _, c := range t.Containers {
		if c.Name == name {
			return t, c, true
		}
	}
	return ecs.Task{}, ecs.Container{}, false
}

func (a *Agent) containerMetadata(w http.ResponseWriter, r *http.Request) {
	t, c, ok := a.lookup(r.PathValue("id"))
	if !ok {
		http.NotFound(w, r)
		return
	}
	writeJSON(w, a.containerDoc(t, c))
}

func (a *Agent) taskMetadata(w http.ResponseWriter, r *http.Request) {
	t, _, ok := a.lookup(r.PathValue("id"))
	if !ok {
		http.NotFound(w, r)
		return
	}
	family, revision := familyRevision(t.TaskDefinitionARN)
	containers := make([]map[string]any, 0, len(t.Containers))
	for _, c := range t.Containers {
		containers = append(containers, a.containerDoc(t, c))
	}
	writeJSON(w, map[string]any{
		"Cluster":          t.ClusterARN,
		"TaskARN":          t.ARN,
		"Family":           family,
		"Revision":         revision,
		"DesiredStatus":    string(t.DesiredStatus),
		"KnownStatus":      string(t.LastStatus),
		"Limits":           map[string]any{"CPU": cpuCores(t.CPU), "Memory": atoi(t.Memory)},
		"PullStartedAt":    timestamp(t.PullStartedAt),
		"PullStoppedAt":    timestamp(t.PullStoppedAt),
		"AvailabilityZone": a.cfg.Region + "a",
		"LaunchType":       "FARGATE",
		"Containers":       containers,
		"ClockDrift":       map[string]any{"ClockErrorBound": 0.5, "ReferenceTimestamp": timestamp(a.cfg.Now()), "ClockSynchronizationStatus": "SYNCHRONIZED"},
	})
}

func (a *Agent) containerDoc(t ecs.Task, c ecs.Container) map[string]any {
	family, revision := familyRevision(t.TaskDefinitionARN)
	doc := map[string]any{
		"DockerId":      containerID(t, c.Name),
		"Name":          c.Name,
		"DockerName":    "ecs-" + family + "-" + revision + "-" + c.Name,
		"Image":         c.Image,
		"ImageID":       "",
		"DesiredStatus": string(t.DesiredStatus),
		"KnownStatus":   string(c.LastStatus),
		"Limits":        map[string]any{"CPU": atoi(c.CPU), "Memory": atoi(c.Memory)},
		"Type":          "NORMAL",
		"ContainerARN":  c.ARN,
		"Labels": map[string]string{
			"com.amazonaws.ecs.cluster":                 t.ClusterARN,
			"com.amazonaws.ecs.container-name":          c.Name,
			"com.amazonaws.ecs.task-arn":                t.ARN,
			"com.amazonaws.ecs.task-definition-family":  family,
			"com.amazonaws.ecs.task-definition-version": revision,
		},
		"Networks": []map[string]any{{"NetworkMode": "awsvpc", "IPv4Addresses": []string{a.cfg.Address}}},
	}
	if !t.StartedAt.IsZero() {
		doc["StartedAt"] = timestamp(t.StartedAt)
	}
	if c.HasExitCode {
		doc["ExitCode"] = c.ExitCode
	}
	if c.HealthStatus != "" && c.HealthStatus != ecs.HealthUnknown {
		doc["Health"] = map[string]any{"status": string(c.HealthStatus)}
	}
	return doc
}

// familyRevision splits the "family:revision" end of a task definition ARN.
func familyRevision(tdARN string) (string, string) {
	i := strings.LastIndex(tdARN, "/")
	family, revision, _ := strings.Cut(tdARN[i+1:], ":")
	return family, revision
}

func cpuCores(units string) float64 { return float64(atoi(units)) / 1024 }

func atoi(s string) int {
	v, _ := strconv.Atoi(s)
	return v
}

func timestamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}
