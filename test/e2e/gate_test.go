package e2e

import "testing"

// TestE2EEnabled pins the spellings of FARGO_E2E: the usual ones turn the end-to-end tests on
// or off, anything else is an error rather than a silent skip.
func TestE2EEnabled(t *testing.T) {
	t.Parallel()
	tests := []struct {
		value   string
		want    bool
		wantErr bool
	}{
		{"", false, false},
		{"1", true, false},
		{"true", true, false},
		{"TRUE", true, false},
		{"Yes", true, false},
		{"on", true, false},
		{" 1 ", true, false},
		{"0", false, false},
		{"false", false, false},
		{"No", false, false},
		{"OFF", false, false},
		{"2", false, true},
		{"enabled", false, true},
		{"y", false, true},
		{"t", false, true},
	}
	for _, tt := range tests {
		got, err := e2eEnabled(tt.value)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("FARGO_E2E=%q: %v, %v; want %v, error %v", tt.value, got, err, tt.want, tt.wantErr)
		}
	}
}
