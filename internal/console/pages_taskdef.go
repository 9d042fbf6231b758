package console

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/fargohq/fargo/internal/ecs"
	"github.com/fargohq/fargo/internal/store"
)

type familyRow struct {
	Name      string
	Revisions []ecs.TaskDefinition
}

func (c *Console) taskDefinitionsPage(w http.ResponseWriter, r *http.Request, sess *session) error {
	items, _, err := c.deps.Store.TaskDefinitions.List(r.Context(), "")
	if err != nil {
		return err
	}
	var rows []familyRow
	for _, td := range values(items) {
		if n := len(rows); n > 0 && rows[n-1].Name == td.Family {
			rows[n-1].Revisions = append(rows[n-1].Revisions, td)
			continue
		}
		rows = append(rows, familyRow{Name: td.Family, Revisions: []ecs.TaskDefinition{td}})
	}
	c.render(w, r, sess, http.StatusOK, "taskdefs", "Task definitions", rows)
	return nil
}

type taskDefinitionView struct {
	TaskDefinition ecs.TaskDefinition
	JSON           string
	Revisions      []string
}

func (c *Console) taskDefinitionPage(w http.ResponseWriter, r *http.Request, sess *session) error {
	td, doc, err := c.taskDefinitionJSON(r, r.PathValue("family"), r.PathValue("revision"))
	if err != nil {
		return err
	}
	revs, err := c.revisionARNs(r, td.Family)
	if err != nil {
		return err
	}
	c.render(w, r, sess, http.StatusOK, "taskdef", td.Family+":"+strconv.Itoa(td.Revision), taskDefinitionView{TaskDefinition: td, JSON: doc, Revisions: revs})
	return nil
}

type diffView struct {
	Family string
	A, B   string
	Lines  []diffLine
}

func (c *Console) taskDefinitionDiffPage(w http.ResponseWriter, r *http.Request, sess *session) error {
	family := r.PathValue("family")
	a, b := r.URL.Query().Get("a"), r.URL.Query().Get("b")
	_, docA, err := c.taskDefinitionJSON(r, family, a)
	if err != nil {
		return err
	}
	_, docB, err := c.taskDefinitionJSON(r, family, b)
	if err != nil {
		return err
	}
	v := diffView{Family: family, A: a, B: b, Lines: diffLines(strings.Split(docA, "\n"), strings.Split(docB, "\n"))}
	c.render(w, r, sess, http.StatusOK, "taskdef_diff", family+": "+a+" → "+b, v)
	return nil
}

// taskDefinitionJSON reads revision rev of family and shows it as DescribeTaskDefinition does.
func (c *Console) taskDefinitionJSON(r *http.Request, family, rev string) (ecs.TaskDefinition, string, error) {
	n, err := strconv.Atoi(rev)
	if err != nil || n < 1 {
		return ecs.TaskDefinition{}, "", in("ecs", ecs.ErrResourceNotFound)
	}
	it, err := c.deps.Store.TaskDefinitions.Get(r.Context(), store.TaskDefinitionID(family, n))
	if err != nil {
		return ecs.TaskDefinition{}, "", in("ecs", notFound(err, ecs.ErrResourceNotFound, "Unable to describe task definition "+family+":"+rev+"."))
	}
	doc, err := c.deps.Actions.ECS.EncodeTaskDefinition(it.Value)
	return it.Value, string(doc), err
}

// revisionARNs are the ARNs of family's ACTIVE revisions, newest first.
func (c *Console) revisionARNs(r *http.Request, family string) ([]string, error) {
	if family == "" {
		return nil, nil
	}
	items, _, err := c.deps.Store.TaskDefinitions.List(r.Context(), family+"/")
	if err != nil {
		return nil, err
	}
	var arns []string
	for i := len(items) - 1; i >= 0; i-- {
		if items[i].Value.Status == ecs.TaskDefinitionStatusActive {
			arns = append(arns, items[i].Value.ARN)
		}
	}
	return arns, nil
}

// familyOf is the family of a task definition ARN.
func familyOf(tdARN string) string {
	_, rest, _ := strings.Cut(tdARN, ":task-definition/")
	fam, _, _ := strings.Cut(rest, ":")
	return fam
}

// diffLine is a line of a diff: "+" added, "-" removed, " " common.
type diffLine struct {
	Op   string
	Text string
}

// diffLines is a line diff of a and b by their longest common subsequence; task definitions
// are a few hundred lines, so the quadratic table is small.
func diffLines(a, b []string) []diffLine {
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []diffLine
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			out = append(out, diffLine{" ", a[i]})
			i, j = i+1, j+1
		case lcs[i+1][j] >= lcs[i][j+1]:
			out = append(out, diffLine{"-", a[i]})
			i++
		default:
			out = append(out, diffLine{"+", b[j]})
			j++
		}
	}
	for ; i < len(a); i++ {
		out = append(out, diffLine{"-", a[i]})
	}
	for ; j < len(b); j++ {
		out = append(out, diffLine{"+", b[j]})
	}
	return out
}
