//! `tandem-cli merge PART...`: the partial results of every shard of one run
//! (`simulate --shard I/N`), in any order, combined into exactly the result
//! one run gives; the cross-contact pass (Sales answering replies) happens
//! here. Parts of different runs, or a missing or repeated shard, are named.

use std::time::Instant;

use tandem_engine::cohort::MAX_SHARDED_COHORT_SIZE;
use tandem_engine::format::{self, PartialRun};
use tandem_engine::simulate::Simulation;

use crate::simulate::print_result;
use crate::{args, read, report_problems};

/// Why `part` cannot be merged with `first` (read from `first_file`), if it cannot.
fn mismatch(first_file: &str, first: &PartialRun, part: &PartialRun) -> Option<String> {
    let (cohort, other) = (&first.scenario.cohort, &part.scenario.cohort);
    if part.journey != first.journey {
        Some(format!("/journey: this part simulates another journey than {first_file}"))
    } else if other.seed != cohort.seed {
        Some(format!("/cohort/seed: this part has seed {}, {first_file} has seed {}", other.seed, cohort.seed))
    } else if part.scenario != first.scenario {
        Some(format!("/cohort: this part simulates another cohort or settings than {first_file}"))
    } else if part.shard.count != first.shard.count {
        Some(format!(
            "/shard: this part is one of {} shards, {first_file} one of {}",
            part.shard.count, first.shard.count
        ))
    } else {
        None
    }
}

pub fn run(args: &[String]) -> Result<bool, String> {
    let options = args::parse(args, &["--json"], &[])?;
    if options.files.is_empty() {
        return Err("merge needs the partial results of a run's shards".into());
    }
    let started = Instant::now();
    let mut parts: Vec<(&str, PartialRun)> = Vec::new();
    for file in &options.files {
        match read(file)?.map_err(|problem| vec![problem]).and_then(|text| format::import_partial(&text)) {
            Ok(part) => parts.push((file, part)),
            Err(problems) => return report_problems(file, &problems),
        }
    }
    let (first_file, first) = &parts[0];
    for (file, part) in &parts[1..] {
        if let Some(problem) = mismatch(first_file, first, part) {
            return report_problems(file, &[problem]);
        }
    }
    let count = first.shard.count;
    if let Some((file, part)) = parts.iter().find(|(_, part)| part.shard.index >= count) {
        return report_problems(
            file,
            &[format!("/shard: shard {}/{count} is not one of 0 to {}", part.shard.index, count - 1)],
        );
    }
    for index in 0..count {
        let holding: Vec<&str> =
            parts.iter().filter(|(_, part)| part.shard.index == index).map(|(file, _)| *file).collect();
        match holding.as_slice() {
            [] => return report_problems("merge", &[format!("/shard: shard {index}/{count} is missing")]),
            [_] => {}
            [file, again, ..] => {
                return report_problems(again, &[format!("/shard: shard {index}/{count} is also in {file}")]);
            }
        }
    }
    let (journey, scenario) = (&first.journey, &first.scenario);
    let simulation = match Simulation::up_to(journey, &scenario.cohort, &scenario.settings, MAX_SHARDED_COHORT_SIZE) {
        Ok(simulation) => simulation,
        Err(problems) => return report_problems(first_file, &problems),
    };
    let total = parts.len();
    let Some(result) = simulation.merge(parts.into_iter().map(|(_, part)| part.partial)) else {
        let problem = "/counts: a part's counts do not fit its journey and cohort (was the file changed?)";
        return report_problems("merge", &[problem]);
    };
    let how = format!("merged {total} parts in {:.2} s", started.elapsed().as_secs_f64());
    print_result(&result, options.switch("--json"), &how);
    Ok(true)
}
