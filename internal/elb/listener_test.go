package elb_test

import (
	"path/filepath"
	"testing"

	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/errdefs"
)

const acmARN = "arn:aws:acm:us-east-1:000000000000:certificate/site"

var forwardBlue = []elb.ActionSpec{{Type: "forward", TargetGroupARN: tgARN}}

func TestNewListener(t *testing.T) {
	t.Parallel()
	lb := newLB(t, elb.LoadBalancerSpec{Name: "web"})
	tests := []struct {
		name string
		spec elb.ListenerSpec
		want error
	}{
		{"http", elb.ListenerSpec{Port: 80, Protocol: "HTTP", DefaultActions: forwardBlue}, nil},
		{"https", elb.ListenerSpec{Port: 443, Protocol: "HTTPS", Certificates: []string{acmARN}, DefaultActions: forwardBlue}, nil},
		{"https file", elb.ListenerSpec{Port: 443, Protocol: "HTTPS", Certificates: []string{"file:///etc/site.pem"}, DefaultActions: forwardBlue}, nil},
		{"https without certificate", elb.ListenerSpec{Port: 443, Protocol: "HTTPS", DefaultActions: forwardBlue}, errdefs.ErrInvalidArgument},
		{"two certificates", elb.ListenerSpec{Port: 443, Protocol: "HTTPS", Certificates: []string{acmARN, acmARN}, DefaultActions: forwardBlue}, elb.ErrTooManyCertificates},
		{"iam certificate", elb.ListenerSpec{Port: 443, Protocol: "HTTPS", Certificates: []string{"arn:aws:iam::000000000000:server-certificate/x"}, DefaultActions: forwardBlue}, elb.ErrCertificateNotFound},
		{"unknown policy", elb.ListenerSpec{Port: 443, Protocol: "HTTPS", SSLPolicy: "Modern", Certificates: []string{acmARN}, DefaultActions: forwardBlue}, elb.ErrSSLPolicyNotFound},
		{"http with certificate", elb.ListenerSpec{Port: 80, Protocol: "HTTP", Certificates: []string{acmARN}, DefaultActions: forwardBlue}, elb.ErrInvalidConfiguration},
		{"alpn", elb.ListenerSpec{Port: 80, Protocol: "HTTP", HasAlpnPolicy: true, DefaultActions: forwardBlue}, elb.ErrInvalidConfiguration},
		{"tcp", elb.ListenerSpec{Port: 80, Protocol: "TCP", DefaultActions: forwardBlue}, elb.ErrUnsupportedProtocol},
		{"no protocol", elb.ListenerSpec{Port: 80, DefaultActions: forwardBlue}, errdefs.ErrInvalidArgument},
		{"no port", elb.ListenerSpec{Protocol: "HTTP", DefaultActions: forwardBlue}, errdefs.ErrInvalidArgument},
		{"port 65536", elb.ListenerSpec{Port: 65536, Protocol: "HTTP", DefaultActions: forwardBlue}, errdefs.ErrInvalidArgument},
		{"no actions", elb.ListenerSpec{Port: 80, Protocol: "HTTP"}, errdefs.ErrInvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, _, err := elb.NewListener(scope, lb, tt.spec, tgID, lbID)
			wantErr(t, err, tt.want)
		})
	}
}

func TestListenerAndDefaultRule(t *testing.T) {
	t.Parallel()
	lb := newLB(t, elb.LoadBalancerSpec{Name: "web"})
	l, r, err := elb.NewListener(scope, lb, elb.ListenerSpec{Port: 443, Protocol: "HTTPS", Certificates: []string{acmARN}, DefaultActions: forwardBlue}, tgID, lbID)
	if err != nil {
		t.Fatal(err)
	}
	if l.ARN != "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/web/"+lbID+"/"+tgID || l.SSLPolicy != elb.DefaultSSLPolicy {
		t.Fatalf("listener %+v", l)
	}
	if !r.IsDefault || r.PriorityString() != "default" || r.ListenerARN != l.ARN || r.LoadBalancerARN != lb.ARN ||
		r.ARN != "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener-rule/app/web/"+lbID+"/"+tgID+"/"+lbID {
		t.Fatalf("default rule %+v", r)
	}
	http, actions, err := l.Modify(elb.ListenerChange{Protocol: "HTTP", Port: 8080})
	if err != nil || http.Port != 8080 || http.SSLPolicy != "" || len(http.Certificates) != 0 || actions != nil {
		t.Fatalf("to HTTP: %+v %v %v", http, actions, err)
	}
	if _, _, err := http.Modify(elb.ListenerChange{Protocol: "HTTPS"}); !errorsIs(err, errdefs.ErrInvalidArgument) {
		t.Fatalf("to HTTPS without certificate: %v", err)
	}
	back, _, err := http.Modify(elb.ListenerChange{Protocol: "HTTPS", Certificates: []string{acmARN}})
	if err != nil || back.SSLPolicy != elb.DefaultSSLPolicy {
		t.Fatalf("back to HTTPS: %+v %v", back, err)
	}
	_, actions, err = l.Modify(elb.ListenerChange{DefaultActions: []elb.ActionSpec{{Type: "fixed-response", HasFixedResponse: true, FixedResponse: elb.FixedResponse{StatusCode: "503"}}}})
	if err != nil || len(actions) != 1 || actions[0].Type != "fixed-response" {
		t.Fatalf("new default actions %+v %v", actions, err)
	}
}

func TestCertificateFiles(t *testing.T) {
	t.Parallel()
	dir := filepath.FromSlash("/data/certs")
	tests := []struct {
		name           string
		arn            string
		dir            string
		wantCert, want string
		wantErr        error
	}{
		{"acm", acmARN, dir, filepath.Join(dir, "site.crt"), filepath.Join(dir, "site.key"), nil},
		{"acm uuid", "arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012", dir,
			filepath.Join(dir, "12345678-1234-1234-1234-123456789012.crt"), filepath.Join(dir, "12345678-1234-1234-1234-123456789012.key"), nil},
		{"acm without dir", acmARN, "", "", "", elb.ErrCertificateNotFound},
		{"acm escaping dir", "arn:aws:acm:us-east-1:000000000000:certificate/..", dir, "", "", elb.ErrCertificateNotFound},
		{"acm with slash", "arn:aws:acm:us-east-1:000000000000:certificate/a/b", dir, "", "", elb.ErrCertificateNotFound},
		{"one file", "file:///etc/site.pem", "", filepath.FromSlash("/etc/site.pem"), filepath.FromSlash("/etc/site.pem"), nil},
		{"two files", "file:///etc/site.pem?key=/etc/site-key.pem", "", filepath.FromSlash("/etc/site.pem"), filepath.FromSlash("/etc/site-key.pem"), nil},
		{"relative file", "file://etc/site.pem", "", "", "", elb.ErrCertificateNotFound},
		{"unclean path", "file:///etc/../site.pem", "", "", "", elb.ErrCertificateNotFound},
		{"relative key", "file:///etc/site.pem?key=site-key.pem", "", "", "", elb.ErrCertificateNotFound},
		{"other query", "file:///etc/site.pem?cert=x", "", "", "", elb.ErrCertificateNotFound},
		{"iam", "arn:aws:iam::000000000000:server-certificate/site", dir, "", "", elb.ErrCertificateNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cert, key, err := elb.CertificateFiles(tt.arn, tt.dir)
			wantErr(t, err, tt.wantErr)
			if cert != tt.wantCert || key != tt.want {
				t.Fatalf("CertificateFiles = %q, %q; want %q, %q", cert, key, tt.wantCert, tt.want)
			}
		})
	}
}
