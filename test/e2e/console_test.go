package e2e

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// consoleScale makes a deployment minute last 2 s: the canary's 5 minutes take 10 s.
const consoleScale = 30

// TestConsoleInABrowser drives the web console in Debian's chromium, headless, through the
// seed's walkthrough: sign in; create two target groups with their health check, a load
// balancer with its listener, a repository, a task definition by form and one by JSON, a
// cluster, and a blue/green service with its CodeDeploy application and deployment group;
// deploy v2 with a canary and watch the shift on the deployment page, live; terminate the
// original task set; then deploy again and stop and roll back. A task's page follows its
// container's output. It checks what the pages show
// at each step and writes screenshots of the key pages (FARGO_SCREENSHOTS, or the test's
// artifact directory: go test -artifacts -outputdir DIR).
func TestConsoleInABrowser(t *testing.T) {
	t.Parallel()
	chromium := findChromium(t)
	s := startServer(t, t.TempDir(), "--time-scale", strconv.Itoa(consoleScale))
	shots := screenshotDir(t)
	b := newHeadless(t, chromium, shots)

	b.signIn(t, s)
	b.createSeed(t, freePort(t))
	b.waitText(t, "#service-summary", "PRIMARY", "2/2", "hello:1")
	b.shot(t, "service")
	b.clickAndLoad(t, `(//section[@id="service-summary"]//a[contains(@href, "/tasks/")])[1]`)
	b.waitText(t, "pre.log", "listening on")
	b.shot(t, "task")
	b.navigate(t, b.base+"/clusters/demo/services/web")

	url := s.listenerURL(t, b)
	stopTraffic := sendTraffic(t, url)
	defer stopTraffic()

	b.deploy(t, "hello:2")
	b.waitText(t, "#green-weight", "10%")
	b.waitText(t, "#deployment-live", "Green", "hello:2", "Blue", "hello:1")
	b.waitSVGPath(t)
	b.shot(t, "deployment-canary")
	b.onPhone(t, "deployment-phone")
	b.waitText(t, "#deployment-live", "Terminate original task set", "TerminationWait")
	b.waitText(t, "#green-weight", "100%")
	b.shot(t, "deployment-termination-wait")
	b.clickAndLoad(t, `//button[normalize-space()="Terminate original task set"]`)
	b.waitText(t, "#deployment-status", "Succeeded")
	b.shot(t, "deployment-succeeded")

	b.navigate(t, b.base+"/clusters/demo/services/web")
	b.deploy(t, "hello:1")
	b.waitText(t, "#green-weight", "10%")
	b.clickAndLoad(t, `//button[normalize-space()="Stop and roll back"]`)
	b.waitText(t, "#deployment-status", "Stopped")
	b.waitText(t, "#deployment-live", "Rolled back by")
	b.shot(t, "deployment-rolled-back")
	b.navigate(t, b.base+"/clusters/demo/services/web")
	b.waitText(t, "#service-summary", "PRIMARY", "hello:2")
	b.shot(t, "service-after-rollback")
}

// findChromium returns Debian's chromium; without it the test skips, unless
// FARGO_REQUIRE_BROWSER=1 (CI installs it) makes that a failure.
func findChromium(t *testing.T) string {
	t.Helper()
	fargoBinary(t) // skips without FARGO_E2E
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("FARGO_REQUIRE_BROWSER") == "1" {
		t.Fatal("FARGO_REQUIRE_BROWSER=1 but no chromium is installed (apt-get install chromium)")
	}
	t.Skip("no chromium installed; the browser test runs where it is (apt-get install chromium)")
	return ""
}

func screenshotDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("FARGO_SCREENSHOTS")
	if dir == "" {
		return t.ArtifactDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// headless is one chromium tab.
type headless struct {
	ctx   context.Context
	base  string
	shots string
}

func newHeadless(t *testing.T, chromium, shots string) *headless {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium), chromedp.NoSandbox, chromedp.WindowSize(1280, 1000),
		chromedp.UserDataDir(t.TempDir()), chromedp.Flag("disable-dev-shm-usage", true))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx, chromedp.WithLogf(t.Logf))
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return &headless{ctx: ctx, shots: shots}
}

// run runs actions with a bound, so that a page that never shows what a step waits for fails
// the test instead of hanging it.
func (b *headless) run(t *testing.T, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 90*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v\npage:\n%s", what, err, b.text("main"))
	}
}

// text is the text the element of selector shows now, "" when there is none.
func (b *headless) text(selector string) string {
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	s, _ := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`(document.querySelector(%q)||{}).innerText||""`, selector)))
	return s
}

func (b *headless) navigate(t *testing.T, url string) {
	t.Helper()
	b.run(t, "open "+url, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS("main")))
}

func (b *headless) signIn(t *testing.T, s *server) {
	t.Helper()
	b.base = s.endpoint()
	b.navigate(t, b.base+"/")
	if title := b.text("h1"); title != "Sign in" {
		t.Fatalf("without a session / shows %q, want the sign-in page", title)
	}
	b.shot(t, "signin")
	b.run(t, "sign in",
		chromedp.SendKeys(chromedp.CSS("#accessKeyId"), envOf(s, "AWS_ACCESS_KEY_ID")),
		chromedp.SendKeys(chromedp.CSS("#secretAccessKey"), envOf(s, "AWS_SECRET_ACCESS_KEY")),
	)
	b.clickAndLoad(t, `//button[normalize-space()="Sign in"]`)
	if title := b.text("h1"); title != "Clusters" {
		t.Fatalf("after sign-in the console shows %q, want Clusters", title)
	}
}

// submit fills a form's fields (by element id) and submits it, then waits for the page it
// leads to.
func (b *headless) submit(t *testing.T, page string, fields map[string]string, button string) {
	t.Helper()
	b.navigate(t, b.base+page)
	b.submit2(t, fields, fmt.Sprintf(`//button[normalize-space()=%q]`, button))
}

func (b *headless) createSeed(t *testing.T, port int) {
	t.Helper()
	for _, name := range []string{"blue", "green"} {
		b.submit(t, "/target-groups", map[string]string{"tgName": name, "tgPort": "80", "hcPath": "/health", "hcInterval": "5", "hcHealthy": "2"}, "Create target group")
	}
	b.waitText(t, "#target-groups", "blue", "green", "/health every 5s")
	b.shot(t, "target-groups")
	b.submit(t, "/load-balancers", map[string]string{"lbName": "demo-alb", "listenerPort": strconv.Itoa(port), "lbTargetGroup": "blue"}, "Create load balancer")
	b.waitText(t, "#load-balancers", "demo-alb", "HTTP :"+strconv.Itoa(port))
	b.submit(t, "/repositories", map[string]string{"repoName": "hello"}, "Create repository")
	b.waitText(t, "main", "No images yet")
	b.submit(t, "/task-definitions", map[string]string{
		"family": "hello", "tdContainerName": "web", "image": "hello:latest", "command": "hello", "tdContainerPort": "8080", "environment": "VERSION=v1",
	}, "Register")
	b.waitText(t, "main", `"family": "hello"`, `"VERSION"`)
	b.submit(t, "/", map[string]string{"clusterName": "demo"}, "Create cluster")
	b.navigate(t, b.base+"/clusters/demo")
	b.run(t, "choose blue/green", chromedp.Click(chromedp.CSS(`input[value="bluegreen"]`)))
	b.eval(t, `document.getElementById("prodListener").selectedIndex = 1`)
	b.submit2(t, map[string]string{
		"serviceName": "web", "taskDefinition": "hello", "desiredCount": "2", "targetGroup": "blue", "containerName": "web", "containerPort": "8080",
		"secondTargetGroup": "green", "deploymentConfig": "CodeDeployDefault.ECSCanary10Percent5Minutes", "terminationWait": "60",
	}, `//button[normalize-space()="Create service"]`)
	b.waitText(t, "main", "Blue/green (CodeDeploy)")
	// The revision to deploy, registered as the seed's pipeline does, from task-definition.json.
	v2, err := os.ReadFile(filepath.Join("..", "..", "examples", "hello", "task-definition-v2.json"))
	if err != nil {
		t.Fatal(err)
	}
	b.navigate(t, b.base+"/task-definitions")
	b.run(t, "open the JSON form", chromedp.Click(`//summary[contains(., "(JSON)")]`))
	b.submit2(t, map[string]string{"document": string(v2)}, `//form[@action="/task-definitions/json"]//button`)
	b.waitText(t, "main", "hello:2")
	b.navigate(t, b.base+"/clusters/demo/services/web")
}

// submit2 fills fields of the page already open and clicks button (an XPath).
func (b *headless) submit2(t *testing.T, fields map[string]string, button string) {
	t.Helper()
	var actions []chromedp.Action[chromedp.Void]
	for id, v := range fields {
		actions = append(actions, chromedp.SetValue(chromedp.CSS("#"+id), v))
	}
	b.run(t, button, actions...)
	b.clickAndLoad(t, button)
}

// clickAndLoad clicks what button (an XPath) names, waits for the page the click leads to,
// and fails on an error page. The old page is marked first, so that it is not taken for the
// new one. The click is the page's own: a live region may swap the button for a fresh copy
// at any moment, and a script finds and clicks it in one turn of the page's event loop.
func (b *headless) clickAndLoad(t *testing.T, button string) {
	t.Helper()
	b.eval(t, `window.fargoOldPage = true`)
	click := fmt.Sprintf(`(function () {
		const el = document.evaluate(%q, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue;
		if (el) el.click();
		return !!el;
	})()`, button)
	b.waitTrue(t, "click "+button, click)
	b.waitTrue(t, "the page after "+button, `!window.fargoOldPage && document.readyState === "complete"`)
	b.submitCheck(t)
}

// waitTrue evaluates script until it returns true.
func (b *headless) waitTrue(t *testing.T, what, script string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 60*time.Second)
	defer cancel()
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](script))
		if err == nil && ok {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%s: never happened (%v); the page shows:\n%s", what, err, b.text("main"))
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func (b *headless) submitCheck(t *testing.T) {
	t.Helper()
	if errText := b.text("#error-message"); errText != "" {
		t.Fatalf("the console answered: %s", errText)
	}
}

// deploy starts a deployment of revision (family:revision) from the service page, which is
// open, and waits for the deployment's page.
func (b *headless) deploy(t *testing.T, revision string) {
	t.Helper()
	arn, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](fmt.Sprintf(
		`[...document.querySelectorAll("#deployTaskDefinition option")].map(o => o.value).find(v => v.endsWith(%q)) || ""`, "/"+revision)))
	if err != nil || arn == "" {
		t.Fatalf("no revision %s to deploy", revision)
	}
	b.submit2(t, map[string]string{"deployTaskDefinition": arn}, `//button[normalize-space()="Start deployment"]`)
	b.waitText(t, "h1", "Deployment d-")
}

// waitText waits until the element of selector shows every one of wants; the page changes
// by itself (server-sent events), nobody reloads it.
func (b *headless) waitText(t *testing.T, selector string, wants ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 120*time.Second)
	defer cancel()
	for {
		text := b.text(selector)
		if containsAll(text, wants) {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%s never showed %q; it shows:\n%s", selector, wants, text)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// onPhone shows the page at a phone's width, checks that nothing but the tables' own boxes
// scrolls sideways, and takes a screenshot.
func (b *headless) onPhone(t *testing.T, name string) {
	t.Helper()
	b.run(t, "phone viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)))
	defer b.run(t, "desktop viewport", chromedp.EmulateViewport(1280, 1000))
	fits, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth`))
	if err != nil || !fits {
		width, _ := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		t.Errorf("at 390 px the page is %d px wide (%v): it does not fit a phone", width, err)
	}
	b.shot(t, name)
}

// eval runs a script in the page.
func (b *headless) eval(t *testing.T, script string) {
	t.Helper()
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[any](script)); err != nil {
		t.Fatalf("%s: %v", script, err)
	}
}

func containsAll(text string, wants []string) bool {
	for _, w := range wants {
		if !strings.Contains(text, w) {
			return false
		}
	}
	return true
}

// waitSVGPath waits until the weight chart has drawn its line.
func (b *headless) waitSVGPath(t *testing.T) {
	t.Helper()
	b.run(t, "weight chart", chromedp.WaitReady(chromedp.CSS("#weight-chart path")))
}

// shot writes a PNG screenshot of the whole page as <name>.png.
func (b *headless) shot(t *testing.T, name string) {
	t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100)) // quality 100 is PNG
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(b.shots, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot %s", path)
}

func envOf(s *server, name string) string {
	for _, kv := range s.env {
		if v, ok := strings.CutPrefix(kv, name+"="); ok {
			return v
		}
	}
	return ""
}

// listenerURL is the URL of the load balancer's listener, read from the load balancers page.
func (s *server) listenerURL(t *testing.T, b *headless) string {
	t.Helper()
	b.navigate(t, b.base+"/load-balancers")
	_, port, _ := strings.Cut(b.text("#load-balancers caption"), ":")
	port, _, _ = strings.Cut(strings.TrimSpace(port), " ")
	b.navigate(t, b.base+"/clusters/demo/services/web")
	return "http://127.0.0.1:" + strings.TrimSpace(port) + "/"
}

// sendTraffic requests url every 50 ms until the returned stop is called, so the deployment
// page has requests to count per revision.
func sendTraffic(t *testing.T, url string) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() {
		client := &http.Client{Timeout: 2 * time.Second}
		for ctx.Err() == nil {
			if resp, err := client.Get(url); err == nil {
				_ = resp.Body.Close()
			}
			select {
			case <-ctx.Done():
			case <-time.After(50 * time.Millisecond):
			}
		}
	})
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); wg.Wait() }) }
	t.Cleanup(stop)
	return stop
}
