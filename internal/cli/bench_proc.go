package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// clockTick is the unit of utime and stime in /proc/<pid>/stat: USER_HZ, which Linux fixes at
// 100 for user space on every architecture.
const clockTick = 10 * time.Millisecond

// benchProc is a server the benchmark started: a target, fargo's proxy, nginx or HAProxy.
type benchProc struct {
	name   string
	cmd    *exec.Cmd
	done   chan struct{} // closed when the process exited
	err    error         // its exit, once done is closed
	output *tailBuffer
}

// startBenchProc starts cmd in its own process group; the benchmark owns it until stop.
func startBenchProc(name string, cmd *exec.Cmd) (*benchProc, error) {
	p := &benchProc{name: name, cmd: cmd, done: make(chan struct{}), output: &tailBuffer{max: 8 << 10}}
	cmd.Stdout, cmd.Stderr = p.output, p.output
	setChildAttrs(cmd)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	go func() { // owned by p: stop waits for done
		p.err = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// stop asks the process to end (SIGTERM), and kills its whole group when it has not after 10 s.
func (p *benchProc) stop() {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		<-p.done
	}
}

// waitReady polls url until it answers 200, the process exits, or 30 s pass.
func (p *benchProc) waitReady(ctx context.Context, url string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 2 * time.Second}
	var last error
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		resp, err := client.Do(req)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("status %s", resp.Status)
		}
		last = err
		select {
		case <-p.done:
			exit := p.err
			if exit == nil {
				exit = errors.New("exit status 0") // what Wait reports as nil, for %w
			}
			return fmt.Errorf("%s exited (%w) before it served %s:\n%s", p.name, exit, url, p.output)
		case <-ctx.Done():
			return fmt.Errorf("%s did not serve %s within 30 s: %w\n%s", p.name, url, last, p.output)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// cpu returns the CPU time (user + system) that the process and its descendants (nginx's
// workers) have used so far.
func (p *benchProc) cpu() (time.Duration, error) {
	return treeCPU("/proc", p.cmd.Process.Pid)
}

// treeCPU sums utime and stime of pid and every process below it, read from procDir.
func treeCPU(procDir string, pid int) (time.Duration, error) {
	entries, err := os.ReadDir(procDir)
	if err != nil {
		return 0, err
	}
	type stat struct {
		ppid int
		cpu  time.Duration
	}
	stats := make(map[int]stat)
	for _, e := range entries {
		id, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join(procDir, e.Name(), "stat"))
		if err != nil {
			continue // exited meanwhile
		}
		ppid, cpu, err := parseProcStat(string(b))
		if err != nil {
			return 0, fmt.Errorf("%s/%d/stat: %w", procDir, id, err)
		}
		stats[id] = stat{ppid, cpu}
	}
	root, ok := stats[pid]
	if !ok {
		return 0, fmt.Errorf("process %d is gone", pid)
	}
	total, tree := root.cpu, map[int]bool{pid: true}
	for grew := true; grew; { // processes are few; repeat until no new descendant appears
		grew = false
		for id, s := range stats {
			if !tree[id] && tree[s.ppid] {
				tree[id], grew = true, true
				total += s.cpu
			}
		}
	}
	return total, nil
}

// parseProcStat returns the parent pid and utime+stime of a /proc/<pid>/stat line. The
// command name (field 2) is in parentheses and may hold spaces, so fields count from the last
// ')'.
func parseProcStat(line string) (ppid int, cpu time.Duration, err error) {
	i := strings.LastIndexByte(line, ')')
	if i < 0 {
		return 0, 0, errors.New("no command name")
	}
	f := strings.Fields(line[i+1:]) // f[0] is field 3 (state)
	if len(f) < 13 {
		return 0, 0, errors.New("too few fields")
	}
	ppid, err1 := strconv.Atoi(f[1])
	utime, err2 := strconv.ParseInt(f[11], 10, 64)
	stime, err3 := strconv.ParseInt(f[12], 10, 64)
	if err := errors.Join(err1, err2, err3); err != nil {
		return 0, 0, err
	}
	return ppid, time.Duration(utime+stime) * clockTick, nil
}

// freeAddr returns a loopback address that was free a moment ago, for servers that cannot
// report the port they bound (nginx, HAProxy).
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// tailBuffer keeps the last max bytes written to it: a child's output, for error messages.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf bytes.Buffer
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Write(p)
	if extra := b.buf.Len() - b.max; extra > 0 {
		b.buf.Next(extra)
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
