package gmm

import "math"

// expTable[j] = 2^(j/256).
var expTable [256]float64

func init() {
	for j := range expTable {
		expTable[j] = math.Exp2(float64(j) / 256)
	}
}

const (
	// expCutoff is the log-ratio to a point's largest weighted density below
	// which a responsibility is set to exactly 0 instead of e^x: e^-64 ≈
	// 1.6e-28, so the dropped terms change any component mass by less than
	// n·1.6e-28, far below the 10ε that is added to the masses anyway, and
	// the log-likelihood by less than K·1.6e-28.
	expCutoff = -64

	ln2Hi256 = 6.93147180369123816490e-01 / 256 // high bits of ln2/256: k*ln2Hi256 is exact for |k| < 2^21
	ln2Lo256 = 1.90821492927058770002e-10 / 256 // ln2/256 - ln2Hi256
	inv256   = 256 / math.Ln2

	roundMagic = 0x1.8p52 // adding it to |y| < 2^51 rounds y to an integer
)

// expAccum replaces every out[i] by e^(out[i]-mx[i]), or by 0 when
// out[i]-mx[i] < expCutoff, and adds it to sum[i]. The differences must be at
// most 0.
//
// The exponential is computed inline with a short dependency chain, which is
// several times faster than calling math.Exp: x = (256m+j)·ln2/256 + r with
// |r| ≤ ln2/512, so e^x = 2^m · 2^(j/256) · e^r, with e^r - 1 from its
// degree-4 Taylor polynomial (truncation error below 4e-17). The result is
// within a few ulps of e^x.
func expAccum(out, mx, sum []float64) {
	mx = mx[:len(out)]
	sum = sum[:len(out)]
	for i, v := range out {
		x := v - mx[i]
		if !(x >= expCutoff) { // also catches -Inf
			out[i] = 0
			continue
		}
		// Adding 1.5*2^52 rounds x*256/ln2 to the integer k held in the
		// low bits of kf.
		kf := x*inv256 + roundMagic
		fk := kf - roundMagic
		k := int32(math.Float64bits(kf)) // k mod 2^32, k in [-23637, 0]
		r := x - fk*ln2Hi256 - fk*ln2Lo256
		r2 := r * r
		q := r + r2*((1.0/2+r*(1.0/6))+r2*(1.0/24)) // e^r - 1
		t := expTable[k&255]
		scale := math.Float64frombits(uint64(1023+(k>>8)) << 52) // 2^floor(k/256)
		e := scale * (t + t*q)
		out[i] = e
		sum[i] += e
	}
}
