package cli

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fargohq/fargo/internal/daemon"
)

// readControlPlane asks the server at endpoint for its place in the control plane (GET
// /fargo/cluster), signed by sign when it is set (a server on another machine answers only
// signed requests); nil for a server alone on its store without data-plane nodes, and for one
// that does not say (no endpoint, an older build): ps shows what it can.
func readControlPlane(ctx context.Context, endpoint string, sign func(context.Context, *http.Request) error) *daemon.ClusterStatus {
	if endpoint == "" {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(endpoint, "/")+daemon.ClusterPath, nil)
	if err != nil {
		return nil
	}
	if sign != nil && sign(ctx, req) != nil {
		return nil
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	var st daemon.ClusterStatus
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&st) != nil || st.Role == "" ||
		(st.Role == daemon.RoleSingle && len(st.DataPlaneNodes) == 0) {
		return nil
	}
	return &st
}

// controlPlaneRows is the members section of the table: each member of the store's etcd
// cluster, its role as the answering server sees it, and which one answered. With an external
// etcd cluster, whose members are not fargo servers, the etcd members come first and then the
// answering server and the leader.
func controlPlaneRows(st *daemon.ClusterStatus) [][]string {
	if st == nil || st.Role == daemon.RoleSingle {
		return nil
	}
	embedded := slices.ContainsFunc(st.Members, func(m daemon.ClusterMember) bool { return m.Name == st.Member })
	var rows [][]string
	for _, m := range st.Members {
		role := daemon.RoleFollower
		switch {
		case !embedded:
			role = "etcd"
		case m.Learner:
			role = "learner"
		case m.Name == st.Leader:
			role = daemon.RoleLeader
		}
		rows = append(rows, []string{m.Name, role, strings.Join(m.PeerURLs, ","), answered(m.Name == st.Member && embedded, st.Problem)})
	}
	if !embedded {
		rows = append(rows, []string{st.Member, st.Role, "-", answered(true, st.Problem)})
		if st.Leader != "" && st.Leader != st.Member {
			rows = append(rows, []string{st.Leader, daemon.RoleLeader, "-", ""})
		}
	}
	return rows
}

// answered is the ANSWERED cell: yes for the answering server, with what it could not read.
func answered(this bool, problem string) string {
	switch {
	case !this:
		return ""
	case problem != "":
		return "yes (" + problem + ")"
	}
	return "yes"
}

// dataPlaneNodeRows is the data-plane nodes section of the table: every node that reports to
// the store, whether it lives and leads, its address and targets.
func dataPlaneNodeRows(st *daemon.ClusterStatus, now time.Time) [][]string {
	if st == nil {
		return nil
	}
	var rows [][]string
	for _, n := range st.DataPlaneNodes {
		state := "gone since " + age(now, n.LastReport)
		switch {
		case n.Live && n.Leading:
			state = "leader"
		case n.Live:
			state = "serving"
		}
		rows = append(rows, []string{n.Name, state, n.BindHost, n.Build, strconv.Itoa(n.HealthyTargets) + "/" + strconv.Itoa(n.Targets)})
	}
	return rows
}
