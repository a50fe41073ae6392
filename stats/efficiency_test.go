package stats

import (
	"math"
	"testing"
)

func TestAUC(t *testing.T) {
	for _, tc := range []struct {
		x, y []float64
		want float64
	}{
		{nil, nil, math.NaN()},
		{[]float64{0, 1}, []float64{1}, math.NaN()},
		{[]float64{5}, []float64{40}, 40},
		{[]float64{3, 3}, []float64{1, 2}, math.NaN()},
		// Areas 5 and 10 over a span of 2.
		{[]float64{0, 1, 2}, []float64{0, 10, 10}, 7.5},
		// Uneven spacing: (1·(0+20)/2 + 3·(20+20)/2)/4 = (10+60)/4.
		{[]float64{0, 1, 4}, []float64{0, 20, 20}, 17.5},
		// A constant curve averages to itself.
		{[]float64{100, 250, 900}, []float64{33, 33, 33}, 33},
	} {
		if got := AUC(tc.x, tc.y); !same(got, tc.want, 1e-12) {
			t.Errorf("AUC(%v, %v) = %v, want %v", tc.x, tc.y, got, tc.want)
		}
	}
}

func TestFirstCrossing(t *testing.T) {
	x := []float64{0, 1000, 2000, 3000}
	for _, tc := range []struct {
		y       []float64
		level   float64
		t       float64
		reached bool
	}{
		{[]float64{0, 10, 50, 40}, 50, 2000, true},
		{[]float64{0, 10, 50, 40}, 45, 2000, true},
		{[]float64{60, 10, 50, 40}, 50, 0, true},
		// Never reached: censored at the last evaluation.
		{[]float64{0, 10, 20, 30}, 50, 3000, false},
		{[]float64{0, math.NaN(), 20, 30}, 25, 3000, true},
	} {
		got, ok := FirstCrossing(x, tc.y, tc.level)
		if got != tc.t || ok != tc.reached {
			t.Errorf("FirstCrossing(%v, %v) = %v, %v; want %v, %v", tc.y, tc.level, got, ok, tc.t, tc.reached)
		}
	}
	if v, ok := FirstCrossing(nil, nil, 1); !math.IsNaN(v) || ok {
		t.Errorf("FirstCrossing of nothing = %v, %v", v, ok)
	}
}

// TestKaplanMeier uses the remission times in weeks of the 21 leukaemia
// patients treated with 6-MP (Freireich et al., Blood 1963; Gehan,
// Biometrika 1965), the textbook example of the Kaplan–Meier estimate, whose
// published survival values are 0.857, 0.807, 0.753, 0.690, 0.627, 0.538 and
// 0.448 at 6, 7, 10, 13, 16, 22 and 23 weeks, with a median of 23 weeks.
func TestKaplanMeier(t *testing.T) {
	times := []float64{6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35}
	censored := map[int]bool{3: true, 5: true, 7: true, 8: true, 11: true, 12: true, 13: true, 16: true, 17: true, 18: true, 19: true, 20: true}
	event := make([]bool, len(times))
	for i := range event {
		event[i] = !censored[i]
	}
	s := KaplanMeier(times, event)
	wantT := []float64{6, 7, 10, 13, 16, 22, 23}
	// Exact products: 18/21, ×16/17, ×14/15, ×11/12, ×10/11, ×6/7, ×5/6.
	exact := []float64{18.0 / 21}
	for _, f := range []float64{16.0 / 17, 14.0 / 15, 11.0 / 12, 10.0 / 11, 6.0 / 7, 5.0 / 6} {
		exact = append(exact, exact[len(exact)-1]*f)
	}
	published := []float64{0.857, 0.807, 0.753, 0.690, 0.627, 0.538, 0.448}
	if len(s.T) != len(wantT) {
		t.Fatalf("event times %v, want %v", s.T, wantT)
	}
	for i := range wantT {
		if s.T[i] != wantT[i] || !same(s.S[i], exact[i], 1e-12) || !same(s.S[i], published[i], 0.0006) {
			t.Errorf("S(%v) = %v, want %v (published %v)", s.T[i], s.S[i], exact[i], published[i])
		}
	}
	if m := s.Quantile(0.5); m != 23 {
		t.Errorf("median = %v, want 23", m)
	}
	for _, tc := range []struct{ t, want float64 }{{0, 1}, {5.9, 1}, {6, exact[0]}, {12, exact[2]}, {40, exact[6]}} {
		if got := s.At(tc.t); !same(got, tc.want, 1e-12) {
			t.Errorf("S(%v) = %v, want %v", tc.t, got, tc.want)
		}
	}
	// Survival never drops below 0.448: the 0.6-quantile is unknown.
	if q := s.Quantile(0.6); !math.IsInf(q, 1) {
		t.Errorf("0.6-quantile = %v, want +Inf", q)
	}
}

func TestKaplanMeierSimple(t *testing.T) {
	// No censoring: the empirical survival function; 1 - 1/2 must hit
	// the median exactly.
	s := KaplanMeier([]float64{4, 1, 3, 2}, []bool{true, true, true, true})
	if got := s.Quantile(0.5); got != 2 {
		t.Errorf("median of 1..4 = %v, want 2", got)
	}
	if s.S[3] != 0 {
		t.Errorf("survival after the last event = %v, want 0", s.S[3])
	}
	// All censored: no event, survival stays 1.
	s = KaplanMeier([]float64{10, 10, math.NaN()}, []bool{false, false, true})
	if len(s.T) != 0 || s.At(100) != 1 || !math.IsInf(s.Quantile(0.5), 1) {
		t.Errorf("all censored: %+v", s)
	}
	// Runs that reached a threshold at 2000 and 4000 episodes; two never
	// did by 5000. Half the runs have reached it by 4000: S = 1·3/4·2/3.
	s = KaplanMeier([]float64{2000, 4000, 5000, 5000}, []bool{true, true, false, false})
	if got := s.Quantile(0.5); got != 4000 || !same(s.At(4500), 0.5, 1e-15) {
		t.Errorf("median %v, S(4500) = %v", got, s.At(4500))
	}
	defer func() {
		if recover() == nil {
			t.Error("KaplanMeier with mismatched lengths did not panic")
		}
	}()
	KaplanMeier([]float64{1}, nil)
}
