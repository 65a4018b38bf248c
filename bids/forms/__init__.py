"""Forms for bid pages. Each audience's forms live in their own module."""
