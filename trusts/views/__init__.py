"""Award, trust, budget and report pages. Views parse the request, call one verb or query, render."""
