package daemon

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"

	"github.com/fargohq/fargo/internal/fsutil"
)

// nodeFileName holds this machine's identity as an ECS container instance, which must survive
// restarts: tasks are placed on instances derived from the node id, and running containers
// carry the metadata endpoint's address in their environment.
const nodeFileName = "node.json"

type nodeState struct {
	NodeID       string `json:"nodeId"`
	MetadataAddr string `json:"metadataAddr"`
}

// openNode loads (or creates) the node identity of dataDir and listens for the task metadata
// endpoint on the address it used before, so that re-adopted containers still reach it. A
// nodeID that is not empty is the node's id from now on; else the recorded one stays, and a
// new node takes fresh().
func openNode(dataDir, nodeID string, fresh func() string, log *slog.Logger) (nodeState, net.Listener, error) {
	path := filepath.Join(dataDir, nodeFileName)
	var n nodeState
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
		if err := json.Unmarshal(data, &n); err != nil {
			return n, nil, err
		}
	case !errors.Is(err, fs.ErrNotExist):
		return n, nil, err
	}
	switch {
	case nodeID != "" && n.NodeID != "" && nodeID != n.NodeID:
		log.Warn("node id changed: the tasks and containers of the old id are no longer this node's", "old", n.NodeID, "new", nodeID)
		n.NodeID = nodeID
	case nodeID != "":
		n.NodeID = nodeID
	case n.NodeID == "":
		n.NodeID = fresh()
	}
	ln, err := listenMetadata(n.MetadataAddr, log)
	if err != nil {
		return n, nil, err
	}
	n.MetadataAddr = ln.Addr().String()
	data, err = json.MarshalIndent(n, "", "  ")
	if err != nil {
		_ = ln.Close()
		return n, nil, err
	}
	if err := fsutil.WriteFileAtomic(path, append(data, '\n'), 0o600); err != nil {
		_ = ln.Close()
		return n, nil, err
	}
	return n, ln, nil
}

func listenMetadata(prev string, log *slog.Logger) (net.Listener, error) {
	if prev != "" {
		ln, err := net.Listen("tcp", prev)
		if err == nil {
			return ln, nil
		}
		log.Warn("task metadata endpoint moved; containers started before cannot reach it", "previous", prev, "err", err)
	}
	return net.Listen("tcp", "127.0.0.1:0")
}

// randomNodeID is a server's node id: 32 random hex digits.
func randomNodeID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
