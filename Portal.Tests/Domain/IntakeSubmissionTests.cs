using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Cases;
using Portal.Domain.Common;
using Portal.Domain.Intake;
using static Portal.Tests.Domain.DomainTestData;

namespace Portal.Tests.Domain;

public class IntakeSubmissionTests
{
    private readonly FakeTimeProvider _clock = NewClock();

    private static IntakeDetails Form(string whatHappened = "Un soldat m'a forcée.") =>
        new(
            "fr",
            "cd",
            "Bunia",
            whatHappened,
            [HelpKind.Medical, HelpKind.LegalHelp, HelpKind.Medical],
            [ContactChannel.Phone],
            "+243 000 000",
            "Evenings",
            ChildBornAnswer.PreferNotToSay);

    [Fact]
    public void A_submission_is_kept_exactly_as_written()
    {
        const string text = "  <b>Not markup</b>\n  line two  ";

        var submission = IntakeSubmission.Receive(Form(text), _clock);

        Assert.Equal(text, submission.WhatHappened);
        Assert.Equal("CD", submission.CountryCode);
        Assert.Equal(Start.UtcDateTime, submission.ReceivedAtUtc);
        Assert.Equal(new[] { HelpKind.Medical, HelpKind.LegalHelp }, submission.HelpWanted);
        Assert.Null(submission.CaseId);
    }

    [Fact]
    public void A_null_character_anywhere_is_refused()
    {
        Assert.Equal(ErrorCodes.NullCharacter, Assert.Throws<DomainException>(() => IntakeSubmission.Receive(Form("help\0me"), _clock)).Code);
        Assert.Equal(ErrorCodes.NullCharacter, Assert.Throws<DomainException>(() => IntakeSubmission.Receive(Form() with { Area = "\0" }, _clock)).Code);
        Assert.Equal(ErrorCodes.NullCharacter, Assert.Throws<DomainException>(() => IntakeSubmission.Receive(Form() with { ContactDetails = "+243\0" }, _clock)).Code);

        var submission = IntakeSubmission.Receive(Form(), _clock);
        Assert.Equal(ErrorCodes.NullCharacter, Assert.Throws<DomainException>(() => submission.AddInformation("more\0", null, _clock)).Code);
    }

    [Fact]
    public void What_happened_is_required_and_at_most_8000_characters()
    {
        IntakeSubmission.Receive(Form(new string('a', 8000)), _clock);

        Assert.Equal(ErrorCodes.TooLong, Assert.Throws<DomainException>(() => IntakeSubmission.Receive(Form(new string('a', 8001)), _clock)).Code);
        Assert.Equal(ErrorCodes.Required, Assert.Throws<DomainException>(() => IntakeSubmission.Receive(Form("   "), _clock)).Code);
    }

    [Fact]
    public void Other_fields_have_length_limits()
    {
        var ex = Assert.Throws<DomainException>(() => IntakeSubmission.Receive(Form() with { SafeTimes = new string('x', 501) }, _clock));

        Assert.Equal(ErrorCodes.TooLong, ex.Code);
    }

    [Fact]
    public void Each_submission_gets_an_unambiguous_reference_code()
    {
        var codes = Enumerable.Range(0, 50).Select(_ => IntakeSubmission.Receive(Form(), _clock).ReferenceCode).ToList();

        Assert.All(codes, code => Assert.Matches("^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$", code));
        Assert.Equal(codes.Count, codes.Distinct().Count());
    }

    [Fact]
    public void The_passphrase_hash_is_set_once()
    {
        var submission = IntakeSubmission.Receive(Form(), _clock);
        submission.SetPassphraseHash("hash-1");

        var ex = Assert.Throws<DomainException>(() => submission.SetPassphraseHash("hash-2"));

        Assert.Equal(ErrorCodes.PassphraseAlreadySet, ex.Code);
        Assert.Equal("hash-1", submission.PassphraseHash);
    }

    [Fact]
    public void A_submission_becomes_one_case_only()
    {
        var submission = IntakeSubmission.Receive(Form(), _clock);
        var caseId = Guid.NewGuid();
        submission.LinkToCase(caseId);
        submission.LinkToCase(caseId);

        var ex = Assert.Throws<DomainException>(() => submission.LinkToCase(Guid.NewGuid()));

        Assert.Equal(ErrorCodes.IntakeAlreadyLinked, ex.Code);
        Assert.Equal(caseId, submission.CaseId);
    }

    [Fact]
    public void Additional_information_is_timestamped_and_bounded()
    {
        var submission = IntakeSubmission.Receive(Form(), _clock);
        _clock.Advance(TimeSpan.FromDays(1));

        var addition = submission.AddInformation("I moved to Bunia.", null, _clock);
        for (var i = 1; i < IntakeSubmission.MaxAdditions; i++)
        {
            submission.AddInformation($"More {i}", null, _clock);
        }

        Assert.Equal(Start.UtcDateTime.AddDays(1), addition.AtUtc);
        Assert.Equal(ErrorCodes.TooMany, Assert.Throws<DomainException>(() => submission.AddInformation("One more", null, _clock)).Code);
    }
}
