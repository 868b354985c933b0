//! The app shell: the sample journey on the timeline, the inspector, the
//! journey name, and the pointer-drag harness self-test.

use tandem_e2e::{Key, Page, run};
use tandem_engine::format::wire_name;
use tandem_engine::samples;
use tandem_engine::{BlockedSend, MAX_STEP_DAY};

/// Day and left edge of a step card, as the page shows them.
async fn card_day(page: &Page, step: &str) -> u16 {
    let card = page.find_where("step-card", "data-step-id", step).await.unwrap();
    card.attr("data-day").await.unwrap().expect("cards carry data-day").parse().unwrap()
}

#[test]
fn the_sample_journey_opens_with_every_step_and_sms() {
    run("the_sample_journey_opens_with_every_step_and_sms", |page| async move {
        let journey = samples::playbook();
        assert_eq!(page.find("journey-name").await?.prop("value").await?.as_deref(), Some(journey.name.as_str()));

        let cards = page.find_all("step-card").await?;
        assert_eq!(cards.len(), journey.steps.len());
        for (card, step) in cards.iter().zip(&journey.steps) {
            assert!(card.text().await?.contains(&step.name), "card for {} shows its name", step.id);
            assert_eq!(card.attr("data-day").await?, Some(step.day.to_string()));
        }
        let sms = page.find_all("sms-card").await?;
        assert_eq!(sms.len(), journey.touchpoints.len());
        for (card, touchpoint) in sms.iter().zip(&journey.touchpoints) {
            assert!(card.text().await?.contains(&touchpoint.name));
        }
        page.wait_for_text("figure-steps", &journey.steps.len().to_string()).await?;
        page.wait_for_text("figure-touchpoints", &journey.touchpoints.len().to_string()).await
    });
}

#[test]
fn clicking_a_step_or_an_sms_shows_it_in_the_inspector() {
    run("clicking_a_step_or_an_sms_shows_it_in_the_inspector", |page| async move {
        let journey = samples::playbook();
        let step = journey.step(&tandem_engine::StepId("pricing-guide".into())).unwrap();
        page.find_where("step-card", "data-step-id", "pricing-guide").await?.click().await?;
        page.wait_for_text("inspector-title", &step.name).await?;
        assert_eq!(page.value("edit-step-day").await?, step.day.to_string());
        assert_eq!(page.value("edit-step-offer").await?, step.narrative.offer);
        assert_eq!(page.text("inspector-attached").await?, "Pricing questions, answered fast");

        let touchpoint = &journey.touchpoints[1];
        page.find_where("sms-card", "data-touchpoint-id", &touchpoint.id.0).await?.click().await?;
        page.wait_for_text("inspector-title", &touchpoint.name).await?;
        assert_eq!(page.value("edit-sms-trigger").await?, touchpoint.trigger);
        assert_eq!(page.value("edit-sms-eligibility").await?, touchpoint.eligibility);
        assert_eq!(page.value("edit-sms-moment").await?, wire_name(touchpoint.moment));
        assert_eq!(
            page.text("inspector-timing").await?,
            "30 minutes after the trigger fires, within 7 days of its email"
        );
        assert_eq!(page.value("edit-sms-blocked").await?, wire_name(BlockedSend::Defer));
        Ok(())
    });
}

#[test]
fn dragging_a_step_card_moves_it_by_whole_days() {
    run("dragging_a_step_card_moves_it_by_whole_days", |page| async move {
        assert_eq!(card_day(&page, "case-study").await, 4);
        let card = page.find_where("step-card", "data-step-id", "case-study").await?;
        // 14 px per day: 7 days and a bit snaps to 7 days.
        page.drag_by(&card, 7.0 * 14.0 + 3.0, 0.0).await?;
        assert_eq!(card_day(&page, "case-study").await, 11);
        assert_eq!(page.value("edit-step-day").await?, "11");

        // Dragging far to the left stops at day 0.
        let card = page.find_where("step-card", "data-step-id", "case-study").await?;
        page.drag_by(&card, -400.0, 0.0).await?;
        assert_eq!(card_day(&page, "case-study").await, 0);
        assert!(card_day(&page, "breakup").await <= MAX_STEP_DAY);
        Ok(())
    });
}

#[test]
fn dragging_onto_another_card_lands_on_its_day() {
    run("dragging_onto_another_card_lands_on_its_day", |page| async move {
        let moving = page.find_where("step-card", "data-step-id", "welcome").await?;
        let target = page.find_where("step-card", "data-step-id", "webinar-invite").await?;
        page.drag_to(&moving, &target).await?;
        assert_eq!(card_day(&page, "welcome").await, card_day(&page, "webinar-invite").await);
        Ok(())
    });
}

#[test]
fn renaming_the_journey_and_refusing_a_blank_name() {
    run("renaming_the_journey_and_refusing_a_blank_name", |page| async move {
        page.type_into("journey-name", "Spring launch nurture").await?;
        page.press(&Key::Tab.to_string()).await?;
        assert_eq!(page.find("journey-name").await?.prop("value").await?.as_deref(), Some("Spring launch nurture"));

        page.type_into("journey-name", "   ").await?;
        page.press(&Key::Tab.to_string()).await?;
        page.wait_for_text("notice", "The journey needs a name.").await?;
        assert_eq!(page.find("journey-name").await?.prop("value").await?.as_deref(), Some("Spring launch nurture"));
        Ok(())
    });
}
