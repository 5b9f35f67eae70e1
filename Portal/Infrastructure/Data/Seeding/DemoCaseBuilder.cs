using Portal.Domain.Cases;
using Portal.Domain.Children;
using Portal.Domain.Consents;
using Portal.Domain.Countries;
using Portal.Domain.FollowUps;
using Portal.Domain.Intake;
using Portal.Domain.Notes;
using Portal.Domain.Referrals;
using Portal.Domain.Reminders;
using ServiceProvider = Portal.Domain.Providers.ServiceProvider;

namespace Portal.Infrastructure.Data.Seeding;

/// <summary>Everything one demo case brought into being, ready to be added to a context.</summary>
internal sealed class DemoCaseGraph(Case survivorCase)
{
    public Case Case { get; } = survivorCase;

    public IdentityRecord? Identity { get; set; }

    public IntakeSubmission? Submission { get; set; }

    public List<Referral> Referrals { get; } = [];

    public List<FollowUp> FollowUps { get; } = [];

    public List<Child> Children { get; } = [];

    public List<PaternityClaim> Claims { get; } = [];

    public List<Note> Notes { get; } = [];
}

/// <summary>
/// Plays one planned case through the domain's own behaviour (open, claim, consent, plan, refer, follow up, close,
/// reopen ...) with the clock set to each moment of the story, so histories, due dates and deadlines are those the
/// real rules would have produced. Every choice comes from a random generator seeded with the case's index: the same
/// plan always yields the same story.
/// </summary>
internal sealed class DemoCaseBuilder(
    DateTime utcNow,
    DemoStaff staff,
    ReminderPolicy policy,
    IReadOnlyDictionary<string, Country> countries,
    IReadOnlyList<ServiceProvider> providers,
    int seed)
{
    public const string StandInAdvocate = DemoDataSeeder.StandInAdvocate;
    public const string StandInCoordinator = DemoDataSeeder.StandInCoordinator;

    private static readonly string[] NatoWords =
        ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India", "Juliett", "Kilo", "Lima", "Mike"];

    private static readonly string[] NoteTexts =
    [
        "Called at the agreed safe time; the person is well and wants to continue (demo note).",
        "Met at the field office with an interpreter; needs reviewed (demo note).",
        "Transport to the clinic arranged for next week (demo note).",
        "The person asked that no message be left on the phone (demo note).",
        "Discussed livelihood options; interested in the training programme (demo note).",
        "School fees question raised; to be checked with the education partner (demo note).",
    ];

    private static readonly (PaternityClaimStatus[] Steps, int Weight)[] ClaimPaths =
    [
        ([PaternityClaimStatus.DnaSampleRequested, PaternityClaimStatus.DnaSampleCollected, PaternityClaimStatus.SubmittedToMemberState,
          PaternityClaimStatus.UnderReviewByMemberState, PaternityClaimStatus.PaternityEstablished, PaternityClaimStatus.ChildSupportOrdered], 35),
        ([PaternityClaimStatus.SubmittedToMemberState, PaternityClaimStatus.UnderReviewByMemberState, PaternityClaimStatus.NotEstablished], 15),
        ([PaternityClaimStatus.SubmittedToMemberState, PaternityClaimStatus.DnaSampleRequested, PaternityClaimStatus.DnaSampleCollected,
          PaternityClaimStatus.SubmittedToMemberState, PaternityClaimStatus.UnderReviewByMemberState, PaternityClaimStatus.PaternityEstablished], 20),
        ([PaternityClaimStatus.DnaSampleRequested, PaternityClaimStatus.ClosedUnresolved], 10),
        ([PaternityClaimStatus.SubmittedToMemberState, PaternityClaimStatus.UnderReviewByMemberState, PaternityClaimStatus.DnaSampleRequested,
          PaternityClaimStatus.DnaSampleCollected, PaternityClaimStatus.SubmittedToMemberState, PaternityClaimStatus.UnderReviewByMemberState,
          PaternityClaimStatus.PaternityEstablished, PaternityClaimStatus.ChildSupportOrdered], 20),
    ];

    private readonly SettableClock _clock = new(utcNow);
    private readonly DemoStaff _staff = staff;
    private readonly ReminderPolicy _policy = policy;
    private readonly IReadOnlyDictionary<string, Country> _countries = countries;
    private readonly IReadOnlyList<ServiceProvider> _providers = providers;
    private readonly DateTime _end = utcNow.AddMinutes(-10);

    // The stories end a little before now; "due today" is the real today, even just after midnight.
    private readonly DateTime _today = utcNow.Date;

    public DemoCaseGraph Build(DemoCasePlan plan, CaseNumber number)
    {
        var story = new Story(this, plan, new Random(unchecked((seed * 7919) + plan.Index)));
        return story.Play(number);
    }

    private static string IdentityLabel(int index) => index.ToString("D4", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>One case's story; a class so the many small steps share the case's state without long parameter lists.</summary>
    private sealed class Story(DemoCaseBuilder builder, DemoCasePlan plan, Random random)
    {
        private readonly SettableClock _clock = builder._clock;
        private readonly Country _country = builder._countries[plan.CountryCode];
        private readonly string? _realAdvocate = builder._staff.AdvocateFor(plan.CountryCode);
        private DemoCaseGraph _graph = null!;
        private DateTime _now;
        private DateTime _referralWindowEnd;

        private Case Case => _graph.Case;

        private string Advocate => _realAdvocate ?? StandInAdvocate;

        private string Coordinator =>
            builder._staff.CoordinatorId is { } coordinator && coordinator != Advocate ? coordinator : StandInCoordinator;

        private bool HasChild => plan.ChildBornOfSea;

        public DemoCaseGraph Play(CaseNumber number)
        {
            _now = plan.OpenedAtUtc;
            var profile = NewProfile();
            IntakeSubmission? submission = null;
            var fromPublicForm = !plan.Historic && random.NextDouble() < (plan.Stage == DemoStage.Intake ? 0.8 : 0.5);
            if (fromPublicForm)
            {
                At(_now.AddMinutes(-random.Next(2, 40)));
                submission = IntakeSubmission.Receive(SubmissionDetails(), _clock);
            }

            At(_now);
            var survivorCase = Case.OpenFromIntake(
                number,
                plan.CountryCode,
                Pick<RiskLevel>((RiskLevel.High, 25), (RiskLevel.Medium, 45), (RiskLevel.Low, 30)),
                _country.Languages[0],
                submission is null ? Advocate : null,
                _clock,
                submission?.Id,
                profile);
            submission?.LinkToCase(survivorCase.Id);
            _graph = new DemoCaseGraph(survivorCase) { Submission = submission, Identity = NewIdentity(survivorCase.Id) };

            if (plan.Stage == DemoStage.Intake)
            {
                if (submission is not null && random.NextDouble() < 0.25)
                {
                    At(Step(TimeSpan.FromHours(6)));
                    submission.AddInformation("Demo addition: mornings are the safest time to call.", null, _clock);
                }

                return _graph;
            }

            Assess();
            if (plan.Stage == DemoStage.Assessment)
            {
                if (random.NextDouble() < 0.3)
                {
                    At(Step(TimeSpan.FromDays(2)));
                    Case.ChangeRisk(Case.RiskLevel == RiskLevel.High ? RiskLevel.Medium : RiskLevel.High, Advocate, _clock);
                }

                if (_realAdvocate is not null && random.NextDouble() < 0.1)
                {
                    At(Step(TimeSpan.FromDays(1)));
                    Case.Release(Advocate);
                }

                PlanManualFollowUps();
                return _graph;
            }

            // Closures from assessment: the person could not be reached, moved away or declined help.
            if (plan.Stage is DemoStage.Closed && !plan.Historic && random.NextDouble() < 0.15)
            {
                Close(fromAssessment: true);
                return _graph;
            }

            var referralTypes = ChooseReferralTypes();
            var chosenProviders = referralTypes.Select(ProviderFor).ToList();
            RecordConsent(chosenProviders, omitOne: !plan.Historic && chosenProviders.Count > 1 && random.NextDouble() < 0.06);

            At(Step(TimeSpan.FromDays(10)));
            Case.StartActionPlan(Advocate, _clock);
            var actionPlanAt = _now;
            AddNote();

            if (plan.Stage == DemoStage.ActionPlan)
            {
                _referralWindowEnd = builder._end;
                MakeReferrals(referralTypes, chosenProviders, actionPlanAt, ReferralMode.Planning);
                PlanManualFollowUps();
                return _graph;
            }

            At(Step(TimeSpan.FromDays(15)));
            Case.StartAssistance(Advocate, _clock);
            if (plan.Stage == DemoStage.Assistance)
            {
                _referralWindowEnd = builder._end;
                MakeReferrals(referralTypes, chosenProviders, actionPlanAt, ReferralMode.Active);
                OpenPaternityClaim(actionPlanAt);
                PlanManualFollowUps();
                return _graph;
            }

            At(Step(TimeSpan.FromDays(60)));
            Case.StartFollowUp(Advocate, _clock);
            if (plan.Stage == DemoStage.FollowUp)
            {
                _referralWindowEnd = builder._end;
                MakeReferrals(referralTypes, chosenProviders, actionPlanAt, ReferralMode.Active);
                OpenPaternityClaim(actionPlanAt);
                if (!plan.Historic && random.NextDouble() < 0.05)
                {
                    At(Step(TimeSpan.FromDays(5)));
                    Case.RevokeConsent(Advocate, _clock);
                }

                PlanManualFollowUps();
                return _graph;
            }

            // Closure path: everything referred is settled before the closure is requested.
            _referralWindowEnd = Step(TimeSpan.FromDays(45));
            MakeReferrals(referralTypes, chosenProviders, actionPlanAt, ReferralMode.Settled);
            At(_referralWindowEnd);
            Close(fromAssessment: false);
            return _graph;
        }

        private void Assess()
        {
            var high = Case.RiskLevel == RiskLevel.High;
            At(Step(TimeSpan.FromHours(high ? 4 : 20)));
            Case.Claim(Advocate, _clock);
            if (_realAdvocate is null)
            {
                Case.Release(Advocate); // nobody works this country in the demo: back to the country queue
            }

            if (plan.Allegation is { } allegation)
            {
                At(Step(TimeSpan.FromHours(3)));
                Case.RecordAllegation(AllegationDetails(allegation), _clock);
            }

            if (HasChild)
            {
                At(Step(TimeSpan.FromDays(3)));
                RegisterChild();
            }

            AddNote();
        }

        private void Close(bool fromAssessment)
        {
            var reason = fromAssessment
                ? Pick<CaseClosureReason>((CaseClosureReason.PersonUnreachable, 40), (CaseClosureReason.Relocated, 25), (CaseClosureReason.PersonDeclinedFurtherAssistance, 25), (CaseClosureReason.Duplicate, 10))
                : Pick<CaseClosureReason>(
                    (CaseClosureReason.AssistanceCompleted, 70), (CaseClosureReason.PersonDeclinedFurtherAssistance, 8), (CaseClosureReason.PersonUnreachable, 7),
                    (CaseClosureReason.Relocated, 5), (CaseClosureReason.TransferredToOtherEntity, 4), (CaseClosureReason.Deceased, 1), (CaseClosureReason.Other, 5));
            var comment = reason == CaseClosureReason.Other ? "The person now receives support through a national programme (demo)." : null;

            At(fromAssessment ? Step(TimeSpan.FromDays(20)) : _now);
            SettleOpenWork();
            if (!plan.Historic && random.NextDouble() < 0.15)
            {
                Case.RequestClosure(reason, comment, OpenWorkNow(), Advocate, _clock);
                At(Step(TimeSpan.FromDays(2)));
                Case.RejectClosure(Coordinator, "A referral outcome still needs checking with the person (demo).", _clock);
                At(Step(TimeSpan.FromDays(14)));
            }

            Case.RequestClosure(reason, comment, OpenWorkNow(), Advocate, _clock);
            if (plan.Stage == DemoStage.ClosureRequested)
            {
                return;
            }

            At(Step(TimeSpan.FromDays(4)));
            Case.ApproveClosure(Coordinator, random.NextDouble() < 0.3 ? "Reviewed with the advocate (demo)." : null, OpenWorkNow(), _clock);
            if (plan.Stage != DemoStage.Reopened)
            {
                return;
            }

            At(Step(TimeSpan.FromDays(120)));
            Case.Reopen("The person came back asking for further support (demo).", Advocate, _clock);
            AddNote();
            if (random.NextDouble() < 0.5)
            {
                At(Step(TimeSpan.FromDays(7)));
                Case.StartActionPlan(Advocate, _clock);
            }

            PlanManualFollowUps();
        }

        private OpenWork OpenWorkNow() =>
            OpenWork.Of(Case.Id, _graph.Referrals, _graph.FollowUps, _graph.Claims, _graph.Submission?.UnreadSinceUtc);

        /// <summary>What a closing advocate does first: checks still open are done, referrals still open withdrawn, claims carried on.</summary>
        private void SettleOpenWork()
        {
            foreach (var followUp in _graph.FollowUps.Where(f => f.IsOpen))
            {
                followUp.Complete(Advocate, _clock, "Checked before closing the case (demo).");
            }

            foreach (var referral in _graph.Referrals.Where(r => r.IsOpen))
            {
                referral.Withdraw("No longer needed at closure (demo).", Advocate, _clock);
            }

            foreach (var claim in _graph.Claims.Where(c => !c.IsFinal))
            {
                claim.CarryOn(Advocate, _clock);
            }
        }

        private void RecordConsent(IReadOnlyList<ServiceProvider> chosen, bool omitOne)
        {
            // Omitting a provider from the consent leads to a coordinator's consent override when sending to it.
            var shared = omitOne ? chosen.Take(chosen.Count - 1) : chosen;
            At(Step(TimeSpan.FromHours(2)));
            Case.RecordConsent(
                Giver(),
                forServices: true,
                forSharingNonIdentifyingData: random.NextDouble() < 0.8,
                shared.Select(p => p.Id).Distinct(),
                SharedField.AgeAndSex | SharedField.Languages | (random.NextDouble() < 0.6 ? SharedField.Name | SharedField.Contact : SharedField.None),
                random.NextDouble() < 0.15 ? "Nothing about the family may be shared with the community leaders (demo)." : null,
                Advocate,
                _clock);
        }

        private ConsentGiver Giver() =>
            Case.Profile.AgeGroupOn(DateOnly.FromDateTime(_clock.UtcNow)) == AgeGroup.Child ? ConsentGiver.Caregiver : ConsentGiver.Person;

        private List<ReferralType> ChooseReferralTypes()
        {
            var types = new List<ReferralType>();
            if (plan.Historic)
            {
                if (random.NextDouble() < 0.3)
                {
                    types.Add(Pick<ReferralType>((ReferralType.Medical, 40), (ReferralType.Psychosocial, 40), (ReferralType.SkillsTrainingOrLivelihood, 20)));
                }
            }
            else
            {
                types.Add(Pick<ReferralType>((ReferralType.Medical, 35), (ReferralType.Psychosocial, 35), (ReferralType.SafetyAndProtection, 15), (ReferralType.Legal, 15)));
                var more = random.Next(0, 3);
                var others = Enum.GetValues<ReferralType>().Where(t => t != ReferralType.PaternityAndChildSupport).ToArray();
                for (var i = 0; i < more; i++)
                {
                    types.Add(others[random.Next(others.Length)]);
                }
            }

            if (HasChild && plan.Stage is DemoStage.Assistance or DemoStage.FollowUp)
            {
                types.Add(ReferralType.PaternityAndChildSupport);
            }

            return types.Distinct().ToList();
        }

        private ServiceProvider ProviderFor(ReferralType type)
        {
            var candidates = builder._providers.Where(p => p.CountryCode == plan.CountryCode && p.IsActive && p.Offers(type)).ToList();
            return candidates[random.Next(candidates.Count)];
        }

        private void MakeReferrals(List<ReferralType> types, List<ServiceProvider> chosen, DateTime from, ReferralMode mode)
        {
            for (var i = 0; i < types.Count; i++)
            {
                var type = types[i];
                var provider = chosen[i];
                var window = _referralWindowEnd - from;
                var created = from + (window * (0.02 + (random.NextDouble() * 0.15)));
                At(created);
                var referral = Referral.Create(Case, type, provider, ReasonFor(type), Urgency(type), Advocate, _clock);
                _graph.Referrals.Add(referral);

                // The legal aid that carries a paternity claim stays accepted while the claim goes on.
                var carriesClaim = type == ReferralType.PaternityAndChildSupport && HasChild && mode == ReferralMode.Active;
                var target = carriesClaim ? ReferralStatus.Accepted : mode switch
                {
                    ReferralMode.Planning => Pick<ReferralStatus>((ReferralStatus.Draft, 50), (ReferralStatus.Sent, 38), (ReferralStatus.Withdrawn, 12)),
                    ReferralMode.Active => Pick<ReferralStatus>(
                        (ReferralStatus.Sent, 18), (ReferralStatus.Accepted, 30), (ReferralStatus.Completed, 32), (ReferralStatus.Declined, 10), (ReferralStatus.Withdrawn, 10)),
                    _ => Pick<ReferralStatus>((ReferralStatus.Completed, 65), (ReferralStatus.Declined, 18), (ReferralStatus.Withdrawn, 17)),
                };

                if (target == ReferralStatus.Draft)
                {
                    continue;
                }

                if (target == ReferralStatus.Withdrawn && random.NextDouble() < 0.4)
                {
                    At(Within(created, TimeSpan.FromDays(2)));
                    referral.Withdraw("The person found the service closer to home (demo).", Advocate, _clock);
                    continue;
                }

                var sent = Within(created, TimeSpan.FromDays(2));
                At(sent);
                var followUps = Send(referral, provider);
                _graph.FollowUps.AddRange(followUps);

                DateTime? answered = null;
                DateTime? ended = null;
                if (target != ReferralStatus.Sent)
                {
                    answered = Within(sent, TimeSpan.FromDays(3));
                    At(answered.Value);
                    if (target == ReferralStatus.Declined)
                    {
                        referral.Decline(ReferralDeclineReason.NoCapacity, "No capacity for new clients this month (demo).", Advocate, _clock);
                        ended = answered;
                    }
                    else if (target == ReferralStatus.Withdrawn)
                    {
                        referral.Withdraw("The person no longer wants this service (demo).", Advocate, _clock);
                        ended = answered;
                    }
                    else
                    {
                        referral.Accept(Advocate, _clock, random.NextDouble() < 0.3 ? "Appointment confirmed by phone (demo)." : null);
                        if (target == ReferralStatus.Completed)
                        {
                            At(Within(answered.Value, TimeSpan.FromDays(30)));
                            referral.Complete(
                                Pick<ReferralOutcome>((ReferralOutcome.ServiceProvided, 70), (ReferralOutcome.AlreadyReceivedElsewhere, 8), (ReferralOutcome.NotApplicable, 5),
                                    (ReferralOutcome.DeclinedByPerson, 10), (ReferralOutcome.ServiceUnavailable, 7)),
                                Advocate,
                                _clock,
                                random.NextDouble() < 0.3 ? "Outcome confirmed with the person (demo)." : null);
                        }
                    }
                }

                SettleFollowUps(followUps, target, answered, ended, mode == ReferralMode.Settled);
            }
        }

        private IReadOnlyList<FollowUp> Send(Referral referral, ServiceProvider provider)
        {
            var check = ConsentGate.Check(Case, provider.Id, _clock.UtcNow);
            var missingProviderOnly = !check.IsSatisfied && check.Missing.All(m => m.Kind == MissingConsent.NoConsentToShareWithProvider);
            if (missingProviderOnly && Case.CurrentConsent is not null && !plan.Historic)
            {
                return referral.SendWithConsentOverride(
                    Case, provider, builder._policy, Coordinator, "The person is at immediate risk and could not be reached to consent (demo).", _clock);
            }

            if (!check.IsSatisfied)
            {
                // Re-consent (the person turned 18, or consent was revoked): ask again, now including this provider.
                var providers = (Case.LatestConsent?.SharedWithProviderIds ?? []).Append(provider.Id).Distinct().ToList();
                Case.RecordConsent(Giver(), forServices: true, forSharingNonIdentifyingData: true, providers, Case.LatestConsent?.SharedFields ?? SharedField.AgeAndSex, null, Advocate, _clock);
            }

            return referral.Send(Case, provider, builder._policy, Advocate, _clock);
        }

        /// <summary>
        /// What happened to the checks the policy planned: answered acceptance checks are done, checks of a declined
        /// or withdrawn referral are cancelled, past checks mostly done (some left overdue, snoozed or moved), future
        /// ones open. Before a closure everything is settled.
        /// </summary>
        private void SettleFollowUps(IReadOnlyList<FollowUp> followUps, ReferralStatus outcome, DateTime? answered, DateTime? ended, bool settleAll)
        {
            foreach (var followUp in followUps.OrderBy(f => f.DueAtUtc))
            {
                if (followUp.Kind == FollowUpKind.AcceptanceCheck)
                {
                    if (answered is { } at)
                    {
                        At(at);
                        if (outcome == ReferralStatus.Withdrawn)
                        {
                            followUp.Cancel("The referral was withdrawn (demo).", Advocate, _clock);
                        }
                        else
                        {
                            followUp.Complete(Advocate, _clock, "Provider answered (demo).");
                        }
                    }

                    continue;
                }

                // Checks of a referral that ended: those already due were done, the rest are cancelled.
                if (ended is { } stop)
                {
                    if (followUp.DueAtUtc < stop.AddDays(-1))
                    {
                        At(Within(followUp.DueAtUtc, TimeSpan.FromHours(30), stop));
                        followUp.Complete(Advocate, _clock);
                    }
                    else
                    {
                        At(stop);
                        followUp.Cancel("The referral ended (demo).", Advocate, _clock);
                    }

                    continue;
                }

                var limit = _referralWindowEnd;
                if (followUp.DueAtUtc >= limit.AddDays(-1))
                {
                    if (settleAll)
                    {
                        At(limit);
                        followUp.Cancel("The case is being closed (demo).", Advocate, _clock);
                    }

                    continue; // not yet due (or due today): open
                }

                var doneAt = Within(followUp.DueAtUtc, TimeSpan.FromHours(30), limit);
                var roll = random.NextDouble();
                if (settleAll || roll < 0.68)
                {
                    At(doneAt);
                    followUp.Complete(Advocate, _clock, random.NextDouble() < 0.4 ? "Checked with the person by phone (demo)." : null);
                }
                else if (roll < 0.82)
                {
                    // Left open: overdue.
                }
                else if (roll < 0.9)
                {
                    At(doneAt);
                    followUp.Snooze(builder._end.AddDays(1 + random.Next(6)), "The person is travelling; call when back (demo).", Advocate, _clock);
                }
                else
                {
                    At(doneAt);
                    followUp.Move(builder._end.AddDays(2 + random.Next(8)), "New appointment date given by the provider (demo).", Advocate, _clock);
                }
            }
        }

        /// <summary>Hand-set checks: some due today (real today), some overdue safety calls.</summary>
        private void PlanManualFollowUps()
        {
            if (plan.Historic || Case.IsClosed)
            {
                return;
            }

            var roll = random.NextDouble();
            if (roll < 0.25)
            {
                At(Within(_now, TimeSpan.FromDays(3)));
                var today = builder._today.AddHours(7 + random.Next(11)).AddMinutes(15 * random.Next(4));
                _graph.FollowUps.Add(FollowUp.CreateManual(Case.Id, null, FollowUpKind.General, "Call back at the agreed safe time (demo)", today, isUrgent: false));
            }
            else if (roll < 0.35 && Case.RiskLevel == RiskLevel.High)
            {
                At(_now);
                var due = builder._end.AddDays(-random.Next(1, 6));
                _graph.FollowUps.Add(FollowUp.CreateManual(Case.Id, null, FollowUpKind.SafetyCheck, "Safety check after the risk assessment (demo)", due, isUrgent: true));
            }
        }

        private void RegisterChild()
        {
            var allegation = Case.Allegation;
            var incident = allegation?.IncidentDate ?? DateOnly.FromDateTime(_now).AddDays(-random.Next(400, 2000));
            var born = incident.AddDays(255 + random.Next(30));
            var latest = DateOnly.FromDateTime(_now).AddDays(-7);
            if (born > latest)
            {
                born = latest;
            }

            var child = Child.Register(
                Case.Id,
                "Child A",
                random.NextDouble() < 0.7 ? born : null,
                born.Year,
                Pick<Sex>((Sex.Female, 48), (Sex.Male, 48), (Sex.Unknown, 4)),
                random.NextDouble() < 0.5 ? "School fees and health insurance (demo)." : null,
                _clock);
            _graph.Children.Add(child);
        }

        private void OpenPaternityClaim(DateTime actionPlanAt)
        {
            var child = _graph.Children.FirstOrDefault();
            var legalAid = _graph.Referrals.FirstOrDefault(r => r.Type == ReferralType.PaternityAndChildSupport);
            if (child is null || legalAid is null)
            {
                return;
            }

            var opened = Within(actionPlanAt, TimeSpan.FromDays(20));
            At(opened);
            var memberState = MemberStates.All[random.Next(MemberStates.All.Count)];
            var claim = PaternityClaim.Open(
                child,
                memberState.Code,
                [$"{_country.Name} family court", $"{memberState.EnglishName} national courts"],
                Advocate,
                _clock);
            claim.LinkLegalAidReferral(legalAid);
            _graph.Claims.Add(claim);

            // Stale claims stop moving well over 180 days ago; the others move as far as today allows.
            var stale = random.NextDouble() < 0.35;
            var cutoff = stale ? builder._end.AddDays(-200) : builder._end;
            var steps = Pick(ClaimPaths.Select(p => (p.Steps, p.Weight)).ToList());
            var at = opened;
            foreach (var status in steps)
            {
                at = at.AddDays(30 + random.Next(170));
                if (at > cutoff)
                {
                    break;
                }

                At(at);
                claim.MoveTo(
                    status,
                    Advocate,
                    _clock,
                    status == PaternityClaimStatus.ClosedUnresolved ? "The Member State did not respond after repeated requests (demo)." : null);
            }
        }

        private void AddNote()
        {
            if (plan.Historic || random.NextDouble() < 0.4)
            {
                return;
            }

            At(Within(_now, TimeSpan.FromHours(6)));
            _graph.Notes.Add(Note.Create(Case.Id, NoteTexts[random.Next(NoteTexts.Length)], Advocate, _clock));
        }

        private SurvivorProfile NewProfile()
        {
            At(_now);
            var year = _now.Year;
            var ageGroup = HasChild ? AgeGroup.Adult : Pick<AgeGroup>((AgeGroup.Adult, 78), (AgeGroup.Child, 15), (AgeGroup.Unknown, 7));
            int? birthYear = ageGroup switch
            {
                AgeGroup.Adult => random.NextDouble() < 0.75 ? year - random.Next(19, 46) : null,
                AgeGroup.Child => year - random.Next(12, 18),
                _ => null,
            };
            var languages = _country.Languages.Take(1 + random.Next(_country.Languages.Count)).ToList();
            var disability = random.NextDouble() < 0.08;
            var districts = DemoProviders.DistrictsOf(plan.CountryCode);
            return SurvivorProfile.Create(
                HasChild ? Sex.Female : Pick<Sex>((Sex.Female, 85), (Sex.Male, 8), (Sex.Other, 1), (Sex.Unknown, 6)),
                ageGroup,
                dateOfBirth: null,
                birthYear,
                languages,
                disability,
                disability ? "Uses a wheelchair; meetings on the ground floor (demo)." : null,
                districts[random.Next(districts.Length)],
                HasChild,
                _clock);
        }

        private IdentityRecord NewIdentity(Guid caseId)
        {
            var label = IdentityLabel(plan.Index);
            var channel = Pick<ContactChannel>(
                (ContactChannel.Phone, 40), (ContactChannel.WhatsApp, 25), (ContactChannel.TrustedPerson, 10),
                (ContactChannel.InPerson, 10), (ContactChannel.Email, 5), (ContactChannel.None, 10));
            var anonymous = random.NextDouble() < 0.08;
            var demo = plan.Index % 2 == 0;
            var hasPhone = channel is ContactChannel.Phone or ContactChannel.WhatsApp || random.NextDouble() < 0.3;
            return IdentityRecord.Create(caseId, new IdentityDetails(
                anonymous ? null : demo ? "Demo" : "Test",
                anonymous ? null : demo ? $"Survivor {NatoWords[plan.Index % NatoWords.Length]}-{label}" : $"Person {label}",
                anonymous || random.NextDouble() < 0.8 ? $"Demo nickname {label}" : null,
                hasPhone ? $"+000 555 {label}" : null,
                channel == ContactChannel.Email || random.NextDouble() < 0.1 ? $"test.person.{label}@example.org" : null,
                channel,
                random.NextDouble() < 0.7 ? "Weekdays 09:00–11:00 (demo)" : null,
                random.NextDouble() < 0.6 ? $"Demo address {plan.Index}, {DemoProviders.DistrictsOf(plan.CountryCode)[0]} (fictitious)" : null));
        }

        private IntakeDetails SubmissionDetails()
        {
            var label = IdentityLabel(plan.Index);
            var help = Enum.GetValues<HelpKind>().Where(_ => random.NextDouble() < 0.3).DefaultIfEmpty(HelpKind.Medical).ToList();
            var channels = new List<ContactChannel> { Pick<ContactChannel>((ContactChannel.Phone, 50), (ContactChannel.WhatsApp, 35), (ContactChannel.TrustedPerson, 15)) };
            return new IntakeDetails(
                _country.Languages[0],
                plan.CountryCode,
                DemoProviders.DistrictsOf(plan.CountryCode)[random.Next(DemoProviders.DistrictsOf(plan.CountryCode).Length)],
                $"Demo submission {label}: the person describes what happened with personnel serving under the UN flag and asks for help.",
                help,
                channels,
                $"+000 555 {label} (demo)",
                random.NextDouble() < 0.6 ? "After 17:00 (demo)" : null,
                HasChild ? ChildBornAnswer.Yes : Pick<ChildBornAnswer>((ChildBornAnswer.No, 80), (ChildBornAnswer.PreferNotToSay, 20)));
        }

        private AllegationDetails AllegationDetails(DemoAllegationPlan allegation)
        {
            var (allegationClass, subtype) = Pick<(AllegationClass, AllegationSubtype)>(
                ((AllegationClass.Exploitation, AllegationSubtype.TransactionalSex), 28),
                ((AllegationClass.Exploitation, AllegationSubtype.ExploitativeRelationship), 27),
                ((AllegationClass.Abuse, AllegationSubtype.Rape), 16),
                ((AllegationClass.Abuse, AllegationSubtype.SexualAssault), 10),
                ((AllegationClass.Abuse, AllegationSubtype.SexualActivityWithMinor), 9),
                ((AllegationClass.Other, AllegationSubtype.Other), 3),
                ((AllegationClass.Unknown, AllegationSubtype.Unknown), 7));
            var personnel = allegation.EntityType switch
            {
                AllegationEntityType.PeacekeepingMission => Pick<PersonnelCategory>(
                    (PersonnelCategory.MilitaryContingent, 55), (PersonnelCategory.FormedPoliceUnit, 8), (PersonnelCategory.UnPolice, 5),
                    (PersonnelCategory.MilitaryObserverOrStaffOfficer, 4), (PersonnelCategory.StaffMember, 14), (PersonnelCategory.UnVolunteer, 5),
                    (PersonnelCategory.Contractor, 5), (PersonnelCategory.Unknown, 4)),
                AllegationEntityType.SpecialPoliticalMission => Pick<PersonnelCategory>(
                    (PersonnelCategory.StaffMember, 60), (PersonnelCategory.Contractor, 15), (PersonnelCategory.UnVolunteer, 10),
                    (PersonnelCategory.GovernmentProvidedPersonnel, 5), (PersonnelCategory.Unknown, 10)),
                AllegationEntityType.NonUnForceUnderSecurityCouncilMandate => Pick<PersonnelCategory>((PersonnelCategory.MilitaryContingent, 70), (PersonnelCategory.Unknown, 30)),
                AllegationEntityType.ImplementingPartner => Pick<PersonnelCategory>((PersonnelCategory.Contractor, 50), (PersonnelCategory.Unknown, 50)),
                _ => Pick<PersonnelCategory>((PersonnelCategory.StaffMember, 60), (PersonnelCategory.UnVolunteer, 10), (PersonnelCategory.Contractor, 15), (PersonnelCategory.Unknown, 15)),
            };
            var status = plan.Historic
                ? Pick<InvestigationStatus>(
                    (InvestigationStatus.Substantiated, 30), (InvestigationStatus.NotSubstantiated, 20), (InvestigationStatus.Closed, 20),
                    (InvestigationStatus.ReferredToMemberState, 15), (InvestigationStatus.UnderInvestigation, 10), (InvestigationStatus.UnderReview, 5))
                : Pick<InvestigationStatus>(
                    (InvestigationStatus.PreliminaryAssessment, 35), (InvestigationStatus.UnderReview, 25), (InvestigationStatus.UnderInvestigation, 25),
                    (InvestigationStatus.Substantiated, 5), (InvestigationStatus.NotSubstantiated, 5), (InvestigationStatus.ReferredToMemberState, 5));

            // Children need a known incident about nine months before birth; others often do not know the exact day.
            DateOnly? incident = HasChild || random.NextDouble() < 0.6
                ? allegation.DateReported.AddDays(-(HasChild ? random.Next(300, 900) : random.Next(0, 120)))
                : null;
            return new AllegationDetails(
                allegation.EntityType,
                allegation.EntityName,
                personnel,
                allegationClass,
                subtype,
                incident,
                allegation.DateReported,
                status,
                status == InvestigationStatus.Substantiated && random.NextDouble() < 0.5 ? "Payments to the implicated person suspended (demo)." : null);
        }

        private static string ReasonFor(ReferralType type) => type switch
        {
            ReferralType.Medical => "Medical examination and treatment (demo).",
            ReferralType.Psychosocial => "Counselling sessions with a psychologist (demo).",
            ReferralType.Legal => "Advice on filing a complaint (demo).",
            ReferralType.PaternityAndChildSupport => "Paternity and child-support claim for the child (demo).",
            ReferralType.SkillsTrainingOrLivelihood => "Livelihood training so the person can earn an income (demo).",
            ReferralType.Education => "School enrolment and fees (demo).",
            ReferralType.MaterialAssistance => "Food and household items for three months (demo).",
            _ => "Safe accommodation and a safety plan (demo).",
        };

        private ReferralUrgency Urgency(ReferralType type) =>
            type is ReferralType.Medical or ReferralType.SafetyAndProtection
                ? Pick<ReferralUrgency>((ReferralUrgency.Routine, 50), (ReferralUrgency.Urgent, 35), (ReferralUrgency.Emergency, 15))
                : Pick<ReferralUrgency>((ReferralUrgency.Routine, 85), (ReferralUrgency.Urgent, 15));

        /// <summary>Moves the story on by about <paramref name="typical"/>, never past the end of the story (now).</summary>
        private DateTime Step(TimeSpan typical)
        {
            var step = typical * (0.5 + random.NextDouble());
            var room = (builder._end - _now) / 2;
            _now += step < room ? step : room;
            return _now;
        }

        /// <summary>A moment up to <paramref name="within"/> after <paramref name="from"/>, before <paramref name="limit"/> (default: the referral window).</summary>
        private DateTime Within(DateTime from, TimeSpan within, DateTime? limit = null)
        {
            var end = limit ?? _referralWindowEnd;
            if (end <= from)
            {
                end = builder._end;
            }

            var candidate = from + (within * random.NextDouble());
            var cap = from + ((end - from) * 0.9);
            return candidate < cap ? candidate : cap;
        }

        private void At(DateTime utc) => _clock.Set(utc);

        private T Pick<T>(params (T Item, int Weight)[] options) => DemoPlanner.Pick(random, options);

        private T Pick<T>(IReadOnlyList<(T Item, int Weight)> options) => DemoPlanner.Pick(random, options);
    }

    private enum ReferralMode
    {
        /// <summary>The plan is being made: drafts, a few sent, none answered yet beyond that.</summary>
        Planning,

        /// <summary>Assistance under way: every status, open checks, some overdue.</summary>
        Active,

        /// <summary>Before a closure: every referral and check settled.</summary>
        Settled,
    }
}
