package ecs

// TaskDefinitionFamily records the last revision number handed out for a family. Revisions are
// never reused, even after the task definitions are deleted, as in ECS.
type TaskDefinitionFamily struct {
	Name         string
	LastRevision int
}
