# R survey::rake for bench/weighting.py.
# usage: Rscript rake.R CODES.csv SHARES.csv OUT.bin POPULATION TOL
# Prints one JSON line (seconds of rake() only, peak RSS unknown to R: reported by gc()).
suppressMessages(library(survey))
a <- commandArgs(trailingOnly = TRUE)
codes <- read.csv(a[1])
shares <- read.csv(a[2])
N <- as.numeric(a[4])
tol <- as.numeric(a[5])
names_ <- names(codes)
for (m in names_) codes[[m]] <- factor(codes[[m]], levels = sort(unique(shares$code[shares$margin == m])))
codes$w0 <- N / nrow(codes)
des <- svydesign(ids = ~1, weights = ~w0, data = codes)
sm <- lapply(names_, function(m) as.formula(paste0("~", m)))
pm <- lapply(names_, function(m) {
  s <- shares[shares$margin == m, ]
  df <- data.frame(x = factor(s$code, levels = s$code), Freq = s$share * N)
  names(df)[1] <- m
  df
})
gc(reset = TRUE)
t <- system.time(r <- rake(des, sm, pm, control = list(maxit = 1000, epsilon = tol)))[["elapsed"]]
g <- gc()
con <- file(a[3], "wb")
writeBin(as.numeric(weights(r)), con, size = 8, endian = "little")
close(con)
cat(sprintf("{\"seconds\": %.6f, \"peak_rss_mb\": %.1f}\n", t, sum(g[, ncol(g)])))
