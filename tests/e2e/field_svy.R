# field_svy.R SAMPLE_CSV FIELD_HOUSEHOLDS_CSV OUT_CSV [DESIGN_CSV] — standard §9.2's
# estimates computed by R's survey package (Lumley), independently of
# tuopin: the units are sample.csv's households with the weight
# (M/m)(N/n) made here; each household's values come from
# field_households.csv (its own row, the reserve's row that replaces it,
# or none when missing: y = x = 0).  svyratio under
# svydesign(ids = ~village, strata = ~county, fpc = ~M, weights = ~w), a
# stratum of one drawn village counting as certainty (contributes 0).
# With DESIGN_CSV (a sample drawn with --certainty), the strata are
# design.csv's stratum column: each village taken with certainty is a
# stratum of its own (M = 1, fpc 1: it contributes 0), the county's other
# villages one stratum.  tuopin's CSV files begin with the UTF-8 byte-order
# mark (docs/outputs.md): read as UTF-8-BOM, which takes a file without one too.
suppressPackageStartupMessages(library(survey))
options(survey.lonely.psu = "certainty")
a <- commandArgs(trailingOnly = TRUE)
s <- read.csv(a[1], colClasses = "character", fileEncoding = "UTF-8-BOM")
f <- read.csv(a[2], colClasses = "character", fileEncoding = "UTF-8-BOM")
num <- function(x) as.numeric(x)
s$w <- num(s$M) / num(s$m) * num(s$N) / num(s$n)
# the field row of each sampled household
key <- ifelse(f$field == "reserve", f$replaces, f$household_id)
r <- f[match(s$household_id, key), ]
found <- r$field %in% c("found", "reserve")
p <- ifelse(found, num(r$members), 0)
fa <- ifelse(found, r$assessment, "")
ra <- r$registry_assessment
rstatus <- ifelse(ra %in% c("can_exit", "remains_poor"), "poor",
           ifelse(ra %in% c("exit_confirmed", "wrongly_exited"), "exited", "general"))
d <- data.frame(county = s$county_code, village = s$village_code, M = num(s$M), w = s$w)
d$stratum <- d$county
if (length(a) >= 4) {
    g <- read.csv(a[4], colClasses = "character", fileEncoding = "UTF-8-BOM")
    d$stratum <- g$stratum[match(s$village_code, g$village_code)]
}
d$x_wrong <- ifelse(rstatus == "exited", p, 0)
d$y_wrong <- ifelse(rstatus == "exited" & fa == "wrongly_exited", p, 0)
d$x_missed <- ifelse(rstatus == "general", p, 0)
d$y_missed <- ifelse(rstatus == "general" & fa == "missed", p, 0)
d$x_inc <- p
d$y_inc <- ifelse(fa %in% c("remains_poor", "wrongly_exited", "missed"), p, 0)
ans <- found & r$satisfied %in% c("yes", "no")
d$x_sat <- ifelse(ans, 1, 0)
d$y_sat <- ifelse(ans & r$satisfied == "yes", 1, 0)
d$x_paper <- ifelse(ra == "exit_confirmed", p, 0)
d$y_paper <- ifelse(ra == "exit_confirmed" & fa == "wrongly_exited", p, 0)
des <- svydesign(ids = ~village, strata = ~stratum, fpc = ~M, weights = ~w, data = d)
m <- list(wrong_exit_rate = c("y_wrong", "x_wrong"), missed_rate = c("y_missed", "x_missed"),
          incidence = c("y_inc", "x_inc"), satisfaction = c("y_sat", "x_sat"),
          paper_exit_rate = c("y_paper", "x_paper"))
out <- NULL
for (c in sort(unique(d$county))) {
    sub <- subset(des, county == c)
    for (k in names(m)) {
        if (sum(sub$variables[[m[[k]][2]]]) == 0) {
            est <- NA; se <- NA
        } else {
            r <- svyratio(as.formula(paste0("~", m[[k]][1])), as.formula(paste0("~", m[[k]][2])), sub)
            est <- as.numeric(coef(r)); se <- as.numeric(SE(r))
        }
        out <- rbind(out, data.frame(county_code = c, measure = k,
                                     estimate = sprintf("%.17g", est), se = sprintf("%.17g", se)))
    }
}
write.csv(out, a[3], row.names = FALSE, quote = FALSE)
