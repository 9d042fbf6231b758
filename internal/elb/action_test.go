package elb_test

import (
	"testing"

	"github.com/fargohq/fargo/internal/elb"
	"github.com/fargohq/fargo/internal/errdefs"
)

func forwardTo(groups ...elb.WeightedTargetGroup) elb.ActionSpec {
	return elb.ActionSpec{Type: "forward", HasForwardConfig: true, Forward: elb.Forward{TargetGroups: groups}}
}

func TestNewActions(t *testing.T) {
	t.Parallel()
	fixed := elb.ActionSpec{Type: "fixed-response", HasFixedResponse: true, FixedResponse: elb.FixedResponse{StatusCode: "404"}}
	redirect := func(r elb.Redirect) elb.ActionSpec {
		return elb.ActionSpec{Type: "redirect", HasRedirect: true, Redirect: r}
	}
	six := make([]elb.WeightedTargetGroup, 6)
	for i := range six {
		six[i] = elb.WeightedTargetGroup{ARN: tgARN[:len(tgARN)-1] + string(rune('0'+i)), Weight: 1}
	}
	tests := []struct {
		name  string
		specs []elb.ActionSpec
		want  error
	}{
		{"none", nil, errdefs.ErrInvalidArgument},
		{"single target group", []elb.ActionSpec{{Type: "forward", TargetGroupARN: tgARN}}, nil},
		{"weighted", []elb.ActionSpec{forwardTo(elb.WeightedTargetGroup{ARN: tgARN, Weight: 90}, elb.WeightedTargetGroup{ARN: tg2ARN, Weight: 10})}, nil},
		{"both forms agree", []elb.ActionSpec{{Type: "forward", TargetGroupARN: tgARN, HasForwardConfig: true, Forward: elb.Forward{TargetGroups: []elb.WeightedTargetGroup{{ARN: tgARN, Weight: 1}}}}}, nil},
		{"both forms disagree", []elb.ActionSpec{{Type: "forward", TargetGroupARN: tg2ARN, HasForwardConfig: true, Forward: elb.Forward{TargetGroups: []elb.WeightedTargetGroup{{ARN: tgARN, Weight: 1}}}}}, elb.ErrInvalidAction},
		{"forward without group", []elb.ActionSpec{{Type: "forward"}}, errdefs.ErrInvalidArgument},
		{"empty forward config", []elb.ActionSpec{forwardTo()}, errdefs.ErrInvalidArgument},
		{"six groups", []elb.ActionSpec{forwardTo(six...)}, errdefs.ErrInvalidArgument},
		{"five groups", []elb.ActionSpec{forwardTo(six[:5]...)}, nil},
		{"weight 1000", []elb.ActionSpec{forwardTo(elb.WeightedTargetGroup{ARN: tgARN, Weight: 1000})}, errdefs.ErrInvalidArgument},
		{"weight 0", []elb.ActionSpec{forwardTo(elb.WeightedTargetGroup{ARN: tgARN, Weight: 0})}, nil},
		{"same group twice", []elb.ActionSpec{forwardTo(elb.WeightedTargetGroup{ARN: tgARN}, elb.WeightedTargetGroup{ARN: tgARN})}, errdefs.ErrInvalidArgument},
		{"bad group ARN", []elb.ActionSpec{{Type: "forward", TargetGroupARN: "blue"}}, errdefs.ErrInvalidArgument},
		{"stickiness without duration", []elb.ActionSpec{{Type: "forward", HasForwardConfig: true, Forward: elb.Forward{
			TargetGroups: []elb.WeightedTargetGroup{{ARN: tgARN, Weight: 1}}, Stickiness: true}}}, errdefs.ErrInvalidArgument},
		{"stickiness", []elb.ActionSpec{{Type: "forward", HasForwardConfig: true, Forward: elb.Forward{
			TargetGroups: []elb.WeightedTargetGroup{{ARN: tgARN, Weight: 1}}, Stickiness: true, StickinessSeconds: 3600}}}, nil},
		{"order 0 is unset", []elb.ActionSpec{{Type: "forward", TargetGroupARN: tgARN, Order: 0}}, nil},
		{"order 50001", []elb.ActionSpec{{Type: "forward", TargetGroupARN: tgARN, Order: 50001}}, errdefs.ErrInvalidArgument},
		{"two terminal actions", []elb.ActionSpec{fixed, fixed}, elb.ErrTooManyActions},
		{"authenticate", []elb.ActionSpec{{Type: "authenticate-oidc"}}, errdefs.ErrInvalidArgument},
		{"no type", []elb.ActionSpec{{}}, errdefs.ErrInvalidArgument},
		{"unknown type", []elb.ActionSpec{{Type: "drop"}}, errdefs.ErrInvalidArgument},
		{"fixed response", []elb.ActionSpec{fixed}, nil},
		{"fixed response 302", []elb.ActionSpec{{Type: "fixed-response", HasFixedResponse: true, FixedResponse: elb.FixedResponse{StatusCode: "302"}}}, errdefs.ErrInvalidArgument},
		{"fixed response content type", []elb.ActionSpec{{Type: "fixed-response", HasFixedResponse: true, FixedResponse: elb.FixedResponse{StatusCode: "200", ContentType: "image/png"}}}, errdefs.ErrInvalidArgument},
		{"fixed response without config", []elb.ActionSpec{{Type: "fixed-response"}}, errdefs.ErrInvalidArgument},
		{"fixed response with a group", []elb.ActionSpec{{Type: "fixed-response", TargetGroupARN: tgARN, HasFixedResponse: true, FixedResponse: elb.FixedResponse{StatusCode: "200"}}}, elb.ErrInvalidAction},
		{"redirect to https", []elb.ActionSpec{redirect(elb.Redirect{Protocol: "HTTPS", Port: "443", StatusCode: "HTTP_301"})}, nil},
		{"redirect to itself", []elb.ActionSpec{redirect(elb.Redirect{StatusCode: "HTTP_302"})}, elb.ErrInvalidAction},
		{"redirect 307", []elb.ActionSpec{redirect(elb.Redirect{Protocol: "HTTPS", StatusCode: "HTTP_307"})}, errdefs.ErrInvalidArgument},
		{"redirect port 70000", []elb.ActionSpec{redirect(elb.Redirect{Port: "70000", StatusCode: "HTTP_301"})}, errdefs.ErrInvalidArgument},
		{"redirect relative path", []elb.ActionSpec{redirect(elb.Redirect{Path: "x", StatusCode: "HTTP_301"})}, errdefs.ErrInvalidArgument},
		{"redirect ftp", []elb.ActionSpec{redirect(elb.Redirect{Protocol: "FTP", StatusCode: "HTTP_301"})}, errdefs.ErrInvalidArgument},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := elb.NewActions(tt.specs)
			wantErr(t, err, tt.want)
		})
	}
}

func TestActionNormalization(t *testing.T) {
	t.Parallel()
	got, err := elb.NewActions([]elb.ActionSpec{{Type: "forward", TargetGroupARN: tgARN}})
	if err != nil {
		t.Fatal(err)
	}
	if f := got[0].Forward; len(f.TargetGroups) != 1 || f.TargetGroups[0] != (elb.WeightedTargetGroup{ARN: tgARN, Weight: 1}) || f.Stickiness {
		t.Fatalf("single target group form = %+v", f)
	}
	got, err = elb.NewActions([]elb.ActionSpec{{Type: "redirect", HasRedirect: true, Redirect: elb.Redirect{Protocol: "HTTPS", StatusCode: "HTTP_301"}}})
	if err != nil {
		t.Fatal(err)
	}
	want := elb.Redirect{Protocol: "HTTPS", Host: "#{host}", Port: "#{port}", Path: "/#{path}", Query: "#{query}", StatusCode: "HTTP_301"}
	if got[0].Redirect != want {
		t.Fatalf("redirect = %+v, want %+v", got[0].Redirect, want)
	}
}
