package awsproto

// Deref returns the value of an optional member: the value p points to, or the zero value
// when the member is absent (nil).
func Deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}
